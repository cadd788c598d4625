import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { CoreModule } from './core.module';
import { DashboardModule } from './modules/dashboard/dashboard.module';
import { RealtimeModule } from './modules/realtime/realtime.module';
import { WebhooksWorkerModule } from './modules/webhooks/webhooks-worker.module';
import { CampaignsWorkerModule } from './modules/campaigns/campaigns.module';
import { OutboundWebhooksModule } from './modules/outbound-webhooks/outbound-webhooks.module';

/** The worker process: queue processors and job schedulers, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot(config, 'worker'),
        RealtimeModule.forWorker(),
        // The worker publishes most call changes: it computes the metrics they make stale.
        DashboardModule,
        WebhooksWorkerModule,
        CampaignsWorkerModule,
        OutboundWebhooksModule.forWorker(),
      ],
    };
  }
}
