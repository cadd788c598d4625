import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { CallsModule } from '../calls/calls.module';
import { ContactsModule } from '../contacts/contacts.module';
import { WalletModule } from '../wallet/wallet.module';
import { ProvidersModule } from '../providers/providers.module';
import { SimulatorDeliveryProcessor } from '../providers/simulator/simulator-delivery.processor';
import { PaymentsCoreModule } from '../payments/payments-core.module';
import { MaintenanceProcessor } from './maintenance.processor';
import { RecordingCopyProcessor } from '../recordings/recording-copy.processor';
import { RecordingRetentionService } from '../recordings/recording-retention.service';
import { WebhookEventBatcher } from './webhook-event-batcher';
import { WebhookEventsProcessor } from './webhook-events.processor';
import { WebhookMaintenanceService } from './webhook-maintenance.service';
import { WebhookProcessingService } from './webhook-processing.service';

/** The worker side: event processing, the simulator's deliveries, the sweeper and reconciliation. */
@Module({
  imports: [
    ProvidersModule,
    CallsModule,
    BillingModule,
    WalletModule,
    ContactsModule,
    PaymentsCoreModule,
  ],
  providers: [
    WebhookProcessingService,
    WebhookEventBatcher,
    WebhookMaintenanceService,
    WebhookEventsProcessor,
    MaintenanceProcessor,
    SimulatorDeliveryProcessor,
    RecordingCopyProcessor,
    RecordingRetentionService,
  ],
  exports: [WebhookProcessingService, WebhookMaintenanceService],
})
export class WebhooksWorkerModule {}
