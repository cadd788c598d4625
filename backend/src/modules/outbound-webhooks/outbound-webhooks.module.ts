import { DynamicModule, Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module';
import { WalletModule } from '../wallet/wallet.module';
import { EndpointDirectory } from './endpoint-directory';
import { OutboundDeliveryProcessor } from './outbound-delivery.processor';
import { OutboundDeliveryService } from './outbound-delivery.service';
import { OutboundEventProducer } from './outbound-event-producer';
import { WebhookEndpointsController } from './webhook-endpoints.controller';
import { WebhookEndpointsService } from './webhook-endpoints.service';

/**
 * Outbound webhooks (docs/outbound-webhooks.md). Both processes turn what they publish into
 * deliveries (OutboundEventProducer); the api manages endpoints, the worker sends.
 */
@Module({})
export class OutboundWebhooksModule {
  static forApi(): DynamicModule {
    return {
      module: OutboundWebhooksModule,
      imports: [CallsModule, WalletModule],
      controllers: [WebhookEndpointsController],
      providers: [EndpointDirectory, OutboundEventProducer, WebhookEndpointsService],
      exports: [OutboundEventProducer],
    };
  }

  static forWorker(): DynamicModule {
    return {
      module: OutboundWebhooksModule,
      imports: [CallsModule, WalletModule],
      providers: [
        EndpointDirectory,
        OutboundEventProducer,
        OutboundDeliveryService,
        OutboundDeliveryProcessor,
      ],
      exports: [OutboundEventProducer],
    };
  }
}
