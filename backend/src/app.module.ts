import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { CoreModule } from './core.module';
import { MetricsModule } from './metrics/metrics.module';
import { AuthModule } from './modules/auth/auth.module';
import { HealthModule } from './health/health.module';
import { UsersModule } from './modules/users/users.module';
import { CallsModule } from './modules/calls/calls.module';
import { RealtimeModule } from './modules/realtime/realtime.module';
import { DashboardModule } from './modules/dashboard/dashboard.module';
import { ContactsModule } from './modules/contacts/contacts.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { BillingModule } from './modules/billing/billing.module';
import { WalletModule } from './modules/wallet/wallet.module';
import { DncModule } from './modules/dnc/dnc.module';
import { CampaignsModule } from './modules/campaigns/campaigns.module';
import { PlatformModule } from './modules/platform/platform.module';
import { PaymentsModule } from './modules/payments/payments.module';
import { AuditModule } from './modules/audit/audit.module';
import { ProviderConsoleModule } from './modules/provider-console/provider-console.module';
import { OutboundWebhooksModule } from './modules/outbound-webhooks/outbound-webhooks.module';

/** The api process: HTTP controllers on top of the shared core. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, 'api'),
        MetricsModule,
        HealthModule,
        AuthModule,
        UsersModule,
        RealtimeModule.forApi(),
        DashboardModule,
        CallsModule,
        WebhooksModule,
        BillingModule,
        ContactsModule,
        WalletModule,
        DncModule,
        CampaignsModule,
        PlatformModule,
        PaymentsModule,
        AuditModule,
        OutboundWebhooksModule.forApi(),
        ProviderConsoleModule,
      ],
    };
  }
}
