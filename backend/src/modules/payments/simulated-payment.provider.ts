import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import type { IncomingWebhook } from '../providers/provider-adapter';
import {
  standardWebhookHeaders,
  verifyStandardWebhook,
} from '../providers/simulator/simulator-signature';
import { Payment } from './entities/payment.entity';
import {
  PaymentEvent,
  PaymentProvider,
  PaymentWebhookParseError,
  StartedCheckout,
} from './payment-provider';

export const SIMULATED_PAYMENT_EVENTS = ['payment.succeeded', 'payment.failed'] as const;

/** The body of the simulated provider's webhook. */
export interface SimulatedPaymentWebhook {
  id: string;
  type: (typeof SIMULATED_PAYMENT_EVENTS)[number];
  data: { paymentId: string; amountMicros: string; currency: string };
}

/**
 * A payment provider for development and tests: its checkout page is served by Switchboard
 * (SimulatedCheckoutController) and its Pay button sends a webhook signed per Standard Webhooks
 * with SIMULATOR_WEBHOOK_SECRET, through the same ingress → queue → worker path as Stripe's.
 * Off in production unless PAYMENT_SIMULATOR_ENABLED=true (it takes no money).
 */
@Injectable()
export class SimulatedPaymentProvider implements PaymentProvider {
  readonly name = 'simulator' as const;
  readonly webhookProvider = 'payment_simulator' as const;

  constructor(private readonly config: AppConfig) {}

  isEnabled(): boolean {
    if (!this.config.SIMULATOR_WEBHOOK_SECRET) return false;
    return this.config.PAYMENT_SIMULATOR_ENABLED
      ? this.config.PAYMENT_SIMULATOR_ENABLED === 'true'
      : !this.config.isProduction;
  }

  startCheckout(payment: Payment): Promise<StartedCheckout> {
    return Promise.resolve({
      providerReference: payment.id,
      checkoutUrl: new URL(
        `/api/payments/simulator/checkout/${payment.id}`,
        this.config.PUBLIC_BASE_URL,
      ).toString(),
    });
  }

  /** The signed request its Pay (or Decline) button sends. */
  signedWebhook(event: SimulatedPaymentWebhook): { body: string; headers: Record<string, string> } {
    const body = JSON.stringify(event);
    return {
      body,
      headers: {
        'content-type': 'application/json',
        ...standardWebhookHeaders(this.config.SIMULATOR_WEBHOOK_SECRET!, event.id, body),
      },
    };
  }

  verifyWebhook(request: IncomingWebhook): boolean {
    return verifyStandardWebhook(
      this.config.SIMULATOR_WEBHOOK_SECRET!,
      request.headers,
      request.rawBody,
    );
  }

  parseWebhook(rawBody: string): PaymentEvent {
    let event: Partial<SimulatedPaymentWebhook>;
    try {
      event = JSON.parse(rawBody) as Partial<SimulatedPaymentWebhook>;
    } catch {
      throw new PaymentWebhookParseError('the body is not JSON');
    }
    const data = event?.data;
    if (typeof event?.id !== 'string' || !event.id)
      throw new PaymentWebhookParseError('id must be the event id');
    if (!SIMULATED_PAYMENT_EVENTS.includes(event.type as never))
      throw new PaymentWebhookParseError(
        `type must be one of: ${SIMULATED_PAYMENT_EVENTS.join(', ')}`,
      );
    if (
      typeof data?.paymentId !== 'string' ||
      typeof data.amountMicros !== 'string' ||
      !/^\d{1,15}$/.test(data.amountMicros)
    )
      throw new PaymentWebhookParseError(
        'data.paymentId and data.amountMicros (digits) are required',
      );
    return {
      dedupeKey: event.id,
      type: event.type!,
      paymentId: data.paymentId,
      providerReference: data.paymentId,
      outcome: event.type === 'payment.succeeded' ? 'succeeded' : 'failed',
      amountMicros: BigInt(data.amountMicros),
      currency: typeof data.currency === 'string' ? data.currency : null,
    };
  }
}
