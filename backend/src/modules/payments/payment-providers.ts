import { Injectable } from '@nestjs/common';
import type { PaymentWebhookProvider } from '../webhooks/entities/webhook-event.entity';
import { PaymentProviderName } from './entities/payment.entity';
import { PaymentProvider } from './payment-provider';
import { SimulatedPaymentProvider } from './simulated-payment.provider';
import { StripePaymentProvider } from './stripe-payment.provider';

/** The payment providers; top-ups go to Stripe when it is configured, else the simulated one. */
@Injectable()
export class PaymentProviders {
  constructor(
    readonly stripe: StripePaymentProvider,
    readonly simulator: SimulatedPaymentProvider,
  ) {}

  get(name: PaymentProviderName): PaymentProvider {
    return name === 'stripe' ? this.stripe : this.simulator;
  }

  forWebhook(provider: PaymentWebhookProvider): PaymentProvider {
    return provider === 'stripe' ? this.stripe : this.simulator;
  }

  /** Where a new top-up goes, or null when no payment provider is enabled. */
  active(): PaymentProvider | null {
    if (this.stripe.isEnabled()) return this.stripe;
    return this.simulator.isEnabled() ? this.simulator : null;
  }
}
