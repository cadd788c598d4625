import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { CallsModule } from '../calls/calls.module';
import { ContactsModule } from '../contacts/contacts.module';
import { DncModule } from '../dnc/dnc.module';
import { ProvidersModule } from '../providers/providers.module';
import { WalletModule } from '../wallet/wallet.module';
import { CampaignEngine } from './campaign-engine.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsProcessor } from './campaigns.processor';
import { CampaignsService } from './campaigns.service';

/** The api side: the campaigns REST API (admins). */
@Module({
  imports: [ContactsModule, DncModule, ProvidersModule, BillingModule, CallsModule],
  controllers: [CampaignsController],
  providers: [CampaignsService],
})
export class CampaignsModule {}

/** The worker side: the scheduler ticks and the contact-attempts (docs/campaigns.md). */
@Module({
  imports: [CallsModule, BillingModule, WalletModule, DncModule, ProvidersModule],
  providers: [CampaignEngine, CampaignsProcessor],
})
export class CampaignsWorkerModule {}
