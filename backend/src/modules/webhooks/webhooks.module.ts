import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module';
import { ProvidersModule } from '../providers/providers.module';
import { WebhookEventsAdminController } from './webhook-events-admin.controller';
import { WebhookEventsAdminService } from './webhook-events-admin.service';
import { WebhookEnqueuer } from './webhook-enqueuer';
import { WebhookIngressService } from './webhook-ingress.service';
import { WebhooksController } from './webhooks.controller';

/** The api side: ingress and the admin view of stored events. */
@Module({
  imports: [ProvidersModule, CallsModule],
  controllers: [WebhooksController, WebhookEventsAdminController],
  providers: [WebhookIngressService, WebhookEnqueuer, WebhookEventsAdminService],
})
export class WebhooksModule {}
