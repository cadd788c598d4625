import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
import { MetricsBroadcaster } from './metrics-broadcaster';

/**
 * The dashboard's numbers: on request, and pushed (`metrics:updated`) after the realtime
 * publisher says calls changed, in whichever process published.
 */
@Module({
  controllers: [DashboardController],
  providers: [DashboardService, MetricsBroadcaster],
  exports: [DashboardService],
})
export class DashboardModule {}
