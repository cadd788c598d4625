import { WebhookStatsService } from './webhook-stats.service';
import { Module } from '@nestjs/common';
import { ProvidersModule } from '../providers/providers.module';
import { WebhookEventsAdminController } from './webhook-events-admin.controller';
import { WebhookEventsAdminService } from './webhook-events-admin.service';
import { WebhookEnqueuer } from './webhook-enqueuer';
import { WebhookEventWriter } from './webhook-event-writer';
import { WebhookIngressService } from './webhook-ingress.service';
import { WebhooksController } from './webhooks.controller';

/** The api side: ingress and the admin view of stored events. */
@Module({
  imports: [ProvidersModule],
  controllers: [WebhooksController, WebhookEventsAdminController],
  providers: [
    WebhookIngressService,
    WebhookEventWriter,
    WebhookEnqueuer,
    WebhookEventsAdminService,
    WebhookStatsService,
  ],
  // Payment webhooks (modules/payments) are stored and enqueued the same way.
  // The Providers page (modules/provider-console) counts them through WebhookStatsService.
  exports: [WebhookEventWriter, WebhookEnqueuer, WebhookStatsService],
})
export class WebhooksModule {}
