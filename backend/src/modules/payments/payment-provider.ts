import type { IncomingWebhook } from '../providers/provider-adapter';
import type { PaymentWebhookProvider } from '../webhooks/entities/webhook-event.entity';
import type { Payment, PaymentProviderName } from './entities/payment.entity';

/** What a payment provider's webhook says, in Switchboard's terms. */
export interface PaymentEvent {
  /** The provider's id of this event: redeliveries carry the same one. */
  dedupeKey: string;
  /** The provider's event type, as sent (kept for the record). */
  type: string;
  /** Our payment id, when the event names it (Stripe: client_reference_id / metadata). */
  paymentId: string | null;
  /** The provider's id of the checkout (Stripe: the Checkout Session id). */
  providerReference: string | null;
  /** succeeded credits the wallet once; failed/expired end a pending payment; ignored changes nothing. */
  outcome: 'succeeded' | 'failed' | 'expired' | 'ignored';
  /** What the provider says was paid, in micros (checked against the payment). */
  amountMicros: bigint | null;
  currency: string | null;
}

export interface StartedCheckout {
  providerReference: string;
  checkoutUrl: string;
}

/** A verified but unreadable payment webhook: kept as rejected, answered 400. */
export class PaymentWebhookParseError extends Error {
  override name = 'PaymentWebhookParseError';
}

/** One way organizations pay for top-ups (Stripe Checkout, or the simulated provider). */
export interface PaymentProvider {
  readonly name: PaymentProviderName;
  /** The name its webhooks are stored under in webhook_events. */
  readonly webhookProvider: PaymentWebhookProvider;
  isEnabled(): boolean;
  /** Starts the provider's checkout for a pending payment (already stored, so its id is known). */
  startCheckout(payment: Payment): Promise<StartedCheckout>;
  /** Checks the webhook's signature (at the ingress only: a stored event is not verified again). */
  verifyWebhook(request: IncomingWebhook): boolean;
  /** Reads a (verified) webhook body; throws PaymentWebhookParseError when it cannot. */
  parseWebhook(rawBody: string): PaymentEvent;
}
