import { BadRequestException, Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { AppConfig } from '../../config/app-config';
import type { IncomingWebhook } from '../providers/provider-adapter';
import { Payment } from './entities/payment.entity';
import {
  PaymentEvent,
  PaymentProvider,
  PaymentWebhookParseError,
  StartedCheckout,
} from './payment-provider';

const MICROS_PER_CENT = 10_000n;

/** Checkout Session fields Switchboard reads from a webhook. */
interface SessionFields {
  id?: unknown;
  client_reference_id?: unknown;
  metadata?: { paymentId?: unknown } | null;
  payment_status?: unknown;
  amount_total?: unknown;
  currency?: unknown;
}

/**
 * Stripe Checkout: a top-up is a Checkout Session for the amount; the wallet is credited when the
 * signed `checkout.session.completed` (paid) or `checkout.session.async_payment_succeeded` arrives.
 * STRIPE_API_BASE_URL points the client at a local stub in tests.
 */
@Injectable()
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  readonly webhookProvider = 'stripe' as const;
  private client?: Stripe;

  constructor(private readonly config: AppConfig) {}

  isEnabled(): boolean {
    return !!this.config.STRIPE_SECRET_KEY && !!this.config.STRIPE_WEBHOOK_SECRET;
  }

  private stripe(): Stripe {
    if (this.client) return this.client;
    const base = this.config.STRIPE_API_BASE_URL ? new URL(this.config.STRIPE_API_BASE_URL) : null;
    this.client = new Stripe(this.config.STRIPE_SECRET_KEY!, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      telemetry: false,
      ...(base
        ? {
            host: base.hostname,
            port: base.port || (base.protocol === 'https:' ? 443 : 80),
            protocol: base.protocol === 'https:' ? 'https' : 'http',
          }
        : {}),
    });
    return this.client;
  }

  async startCheckout(payment: Payment): Promise<StartedCheckout> {
    if (payment.amountMicros % MICROS_PER_CENT !== 0n)
      throw new BadRequestException(
        'amountMicros must be a whole number of cents for card payments',
      );
    const back = (state: string) =>
      new URL(
        `/wallet?payment=${payment.id}&checkout=${state}`,
        this.config.PUBLIC_BASE_URL,
      ).toString();
    const session = await this.stripe().checkout.sessions.create(
      {
        mode: 'payment',
        client_reference_id: payment.id,
        metadata: { paymentId: payment.id, organizationId: payment.organizationId },
        payment_intent_data: { metadata: { paymentId: payment.id } },
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: payment.currency.toLowerCase(),
              unit_amount: Number(payment.amountMicros / MICROS_PER_CENT),
              product_data: { name: 'Switchboard wallet top-up' },
            },
          },
        ],
        success_url: back('success'),
        cancel_url: back('cancelled'),
      },
      // A retried start never opens a second session for the same payment.
      { idempotencyKey: `switchboard-payment-${payment.id}` },
    );
    if (!session.url) throw new Error(`Stripe returned no URL for Checkout Session ${session.id}`);
    return { providerReference: session.id, checkoutUrl: session.url };
  }

  verifyWebhook(request: IncomingWebhook): boolean {
    const signature = request.headers['stripe-signature'];
    if (typeof signature !== 'string') return false;
    try {
      this.stripe().webhooks.constructEvent(
        request.rawBody,
        signature,
        this.config.STRIPE_WEBHOOK_SECRET!,
      );
      return true;
    } catch {
      return false;
    }
  }

  parseWebhook(rawBody: string): PaymentEvent {
    let event: { id?: unknown; type?: unknown; data?: { object?: SessionFields } };
    try {
      event = JSON.parse(rawBody) as typeof event;
    } catch {
      throw new PaymentWebhookParseError('the body is not JSON');
    }
    if (typeof event?.id !== 'string' || typeof event.type !== 'string')
      throw new PaymentWebhookParseError('a Stripe event has an id and a type');
    const session = event.data?.object ?? {};
    const isSession = event.type.startsWith('checkout.session.');
    const paymentId =
      typeof session.client_reference_id === 'string'
        ? session.client_reference_id
        : typeof session.metadata?.paymentId === 'string'
          ? session.metadata.paymentId
          : null;
    let outcome: PaymentEvent['outcome'] = 'ignored';
    if (event.type === 'checkout.session.completed' && session.payment_status === 'paid')
      outcome = 'succeeded';
    else if (
      event.type === 'checkout.session.completed' &&
      session.payment_status === 'no_payment_required'
    )
      outcome = 'failed';
    else if (event.type === 'checkout.session.async_payment_succeeded') outcome = 'succeeded';
    else if (event.type === 'checkout.session.async_payment_failed') outcome = 'failed';
    else if (event.type === 'checkout.session.expired') outcome = 'expired';
    return {
      dedupeKey: event.id,
      type: event.type,
      paymentId: isSession ? paymentId : null,
      providerReference: isSession && typeof session.id === 'string' ? session.id : null,
      outcome,
      amountMicros:
        typeof session.amount_total === 'number' && Number.isInteger(session.amount_total)
          ? BigInt(session.amount_total) * MICROS_PER_CENT
          : null,
      currency: typeof session.currency === 'string' ? session.currency.toUpperCase() : null,
    };
  }
}
