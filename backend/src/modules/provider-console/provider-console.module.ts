import { Module } from '@nestjs/common';
import { PaymentsCoreModule } from '../payments/payments-core.module';
import { ProvidersModule } from '../providers/providers.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ProvidersOverviewController } from './providers-overview.controller';
import { ProvidersOverviewService } from './providers-overview.service';

/** The admins' Providers page (GET /api/providers): configuration, webhook URLs, counts. */
@Module({
  imports: [ProvidersModule, PaymentsCoreModule, WebhooksModule],
  controllers: [ProvidersOverviewController],
  providers: [ProvidersOverviewService],
})
export class ProviderConsoleModule {}
