import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { PaymentProviders } from '../payments/payment-providers';
import { ProviderName } from '../providers/provider-adapter';
import { ProviderRegistry } from '../providers/provider-registry';
import { WebhookProvider } from '../webhooks/entities/webhook-event.entity';
import { WebhookStatsService } from '../webhooks/webhook-stats.service';
import {
  ProviderOverviewView,
  ProviderSecretView,
  ProviderWebhookUrlView,
  ProvidersOverview,
} from './providers-overview.dto';

/** `whsec_••••wxyz` / `••••wxyz`: enough to tell which secret is set, not to use it. */
export function maskedSecret(value: string | undefined): string | null {
  if (!value) return null;
  const prefix = /^(whsec_|sk_live_|sk_test_)/.exec(value)?.[1] ?? '';
  const rest = value.slice(prefix.length);
  return `${prefix}••••${rest.length > 8 ? rest.slice(-4) : ''}`;
}

type Settings = Record<string, string | undefined>;

interface Definition {
  name: string;
  label: string;
  kind: 'calls' | 'payments';
  stored: WebhookProvider;
  required: string[];
  secrets: string[];
  webhooks: { label: string; path: string; note: string; secretQuery?: [string, string] }[];
  configured: () => boolean;
}

/**
 * The Providers page: which call and payment providers this Switchboard has, the webhook URLs to
 * paste into each provider's console (from PUBLIC_BASE_URL and the real routes), which secrets
 * are set (masked), and how their webhooks fared over the last day.
 */
@Injectable()
export class ProvidersOverviewService {
  constructor(
    private readonly config: AppConfig,
    private readonly registry: ProviderRegistry,
    private readonly payments: PaymentProviders,
    private readonly stats: WebhookStatsService,
  ) {}

  private definitions(): Definition[] {
    const calls = (name: ProviderName) => () => this.registry.get(name).isEnabled();
    return [
      {
        name: 'twilio',
        label: 'Twilio',
        kind: 'calls',
        stored: 'twilio',
        required: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
        secrets: ['TWILIO_AUTH_TOKEN', 'TWILIO_API_KEY_SECRET'],
        webhooks: [
          {
            label: 'TwiML App Voice URL (browser calls)',
            path: '/api/webhooks/twilio/voice',
            note: 'Twilio console → TwiML Apps → your app (TWILIO_TWIML_APP_SID) → Voice Request URL, HTTP POST',
          },
          {
            label: 'Status callback',
            path: '/api/webhooks/twilio/status',
            note: 'Set by Switchboard on every call it places (with the call id); nothing to paste',
          },
          {
            label: 'Recording status callback',
            path: '/api/webhooks/twilio/recording',
            note: 'Set by Switchboard on every recorded call; nothing to paste',
          },
        ],
        configured: calls('twilio'),
      },
      {
        name: 'exotel',
        label: 'Exotel',
        kind: 'calls',
        stored: 'exotel',
        required: [
          'EXOTEL_ACCOUNT_SID',
          'EXOTEL_API_KEY',
          'EXOTEL_API_TOKEN',
          'EXOTEL_SUBDOMAIN',
          'EXOTEL_WEBHOOK_TOKEN',
        ],
        secrets: ['EXOTEL_API_TOKEN', 'EXOTEL_WEBHOOK_TOKEN'],
        webhooks: [
          {
            label: 'Status callback',
            path: '/api/webhooks/exotel/status',
            note: 'Sent by Switchboard with every call (StatusCallback, with its token); paste it only into flows you start outside Switchboard',
            secretQuery: ['token', 'EXOTEL_WEBHOOK_TOKEN'],
          },
        ],
        configured: calls('exotel'),
      },
      {
        name: 'bolna',
        label: 'Bolna',
        kind: 'calls',
        stored: 'bolna',
        required: ['BOLNA_API_KEY', 'BOLNA_AGENT_ID', 'BOLNA_WEBHOOK_SECRET'],
        secrets: ['BOLNA_API_KEY', 'BOLNA_WEBHOOK_SECRET'],
        webhooks: [
          {
            label: 'Agent webhook URL',
            path: '/api/webhooks/bolna',
            note: 'Bolna dashboard → your agent → Analytics → Webhook URL, with the header Authorization: Bearer <BOLNA_WEBHOOK_SECRET>',
          },
        ],
        configured: calls('bolna'),
      },
      {
        name: 'simulator',
        label: 'Simulator',
        kind: 'calls',
        stored: 'simulator',
        required: [],
        secrets: ['SIMULATOR_WEBHOOK_SECRET'],
        webhooks: [
          {
            label: 'Webhook URL',
            path: '/api/webhooks/simulator',
            note: 'Switchboard’s own simulated provider delivers here, signed with SIMULATOR_WEBHOOK_SECRET',
          },
        ],
        configured: calls('simulator'),
      },
      {
        name: 'stripe',
        label: 'Stripe payments',
        kind: 'payments',
        stored: 'stripe',
        required: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'],
        secrets: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'],
        webhooks: [
          {
            label: 'Webhook endpoint',
            path: '/api/webhooks/payments/stripe',
            note: 'Stripe dashboard → Developers → Webhooks → Add endpoint, event checkout.session.completed (and .expired, .async_payment_*); its signing secret is STRIPE_WEBHOOK_SECRET',
          },
        ],
        configured: () => this.payments.stripe.isEnabled(),
      },
      {
        name: 'payment_simulator',
        label: 'Simulated payments',
        kind: 'payments',
        stored: 'payment_simulator',
        required: ['PAYMENT_SIMULATOR_ENABLED'],
        secrets: [],
        webhooks: [
          {
            label: 'Webhook URL',
            path: '/api/webhooks/payments/simulator',
            note: 'The simulated checkout’s Pay button delivers here; nothing to paste',
          },
        ],
        configured: () => this.payments.simulator.isEnabled(),
      },
    ];
  }

  async overview(organizationId: string): Promise<ProvidersOverview> {
    const since = new Date(Date.now() - 24 * 3600 * 1000);
    const counts = await this.stats.countsSince(organizationId, since);
    const settings = this.config as unknown as Settings;
    const providers = this.definitions().map((definition): ProviderOverviewView => {
      const configured = definition.configured();
      return {
        name: definition.name,
        label: definition.label,
        kind: definition.kind,
        configured,
        missing: configured ? [] : definition.required.filter((key) => !settings[key]),
        webhooks: definition.webhooks.map((webhook) => this.webhookUrl(webhook, settings)),
        secrets: definition.secrets.map((name): ProviderSecretView => ({
          name,
          set: Boolean(settings[name]),
          masked: maskedSecret(settings[name]),
        })),
        counts: counts.get(definition.stored) ?? { received: 0, rejected: 0, deadLettered: 0 },
      };
    });
    return { publicBaseUrl: this.config.PUBLIC_BASE_URL, since: since.toISOString(), providers };
  }

  private webhookUrl(
    webhook: Definition['webhooks'][number],
    settings: Settings,
  ): ProviderWebhookUrlView {
    const url = new URL(webhook.path, this.config.PUBLIC_BASE_URL);
    let text = url.toString();
    if (webhook.secretQuery) {
      const [parameter, setting] = webhook.secretQuery;
      text += `?${parameter}=${maskedSecret(settings[setting]) ?? `<${setting}>`}`;
    }
    return { label: webhook.label, url: text, copyable: !webhook.secretQuery, note: webhook.note };
  }
}
