import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { DncModule } from '../dnc/dnc.module';
import { BillingModule } from '../billing/billing.module';
import { ProvidersModule } from '../providers/providers.module';
import { WalletModule } from '../wallet/wallet.module';
import { CallControlService, CallQualityService } from './call-control.service';
import { CallPlacementService } from './call-placement.service';
import { CallProgressService } from './call-progress.service';
import { CallerIdsController } from './caller-ids.controller';
import { CallsController } from './calls.controller';
import { CallRollupsService } from './call-rollups';
import { CallsService } from './calls.service';
import { VoiceController } from './voice.controller';
import { VoiceService } from './voice.service';

@Module({
  imports: [ProvidersModule, BillingModule, WalletModule, ContactsModule, DncModule],
  controllers: [CallsController, VoiceController, CallerIdsController],
  providers: [
    CallsService,
    CallPlacementService,
    CallProgressService,
    VoiceService,
    CallRollupsService,
    CallControlService,
    CallQualityService,
  ],
  exports: [CallsService, CallProgressService, CallRollupsService, CallPlacementService],
})
export class CallsModule {}
