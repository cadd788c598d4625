import { Module } from '@nestjs/common';
import { WalletModule } from '../wallet/wallet.module';
import { PaymentEventsService } from './payment-events.service';
import { PaymentProviders } from './payment-providers';
import { SimulatedPaymentProvider } from './simulated-payment.provider';
import { StripePaymentProvider } from './stripe-payment.provider';

/** Payment providers and the worker's payment step (both processes). */
@Module({
  imports: [WalletModule],
  providers: [
    StripePaymentProvider,
    SimulatedPaymentProvider,
    PaymentProviders,
    PaymentEventsService,
  ],
  exports: [
    StripePaymentProvider,
    SimulatedPaymentProvider,
    PaymentProviders,
    PaymentEventsService,
  ],
})
export class PaymentsCoreModule {}
