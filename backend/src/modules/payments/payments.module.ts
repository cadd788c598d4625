import { Module } from '@nestjs/common';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { PaymentWebhooksController } from './payment-webhooks.controller';
import { PaymentsController } from './payments.controller';
import { PaymentsCoreModule } from './payments-core.module';
import { PaymentsService } from './payments.service';
import { SimulatedCheckoutController } from './simulated-checkout.controller';

/** The api side of payments: top-ups, the payment webhooks' ingress, the simulated checkout page. */
@Module({
  imports: [PaymentsCoreModule, WebhooksModule],
  controllers: [PaymentsController, PaymentWebhooksController, SimulatedCheckoutController],
  providers: [PaymentsService],
})
export class PaymentsModule {}
