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
import { CallOutcomesService } from './call-outcomes.service';
import { RecordingJobs } from '../recordings/recording-jobs';
import { LocalDiskRecordingStorage, RecordingStorage } from '../recordings/recording-storage';
import { RecordingUrls } from '../recordings/recording-urls';
import { RecordingsController } from '../recordings/recordings.controller';
import { RecordingsService } from '../recordings/recordings.service';

@Module({
  imports: [ProvidersModule, BillingModule, WalletModule, ContactsModule, DncModule],
  controllers: [CallsController, VoiceController, CallerIdsController, RecordingsController],
  providers: [
    CallsService,
    CallPlacementService,
    CallProgressService,
    VoiceService,
    CallRollupsService,
    CallControlService,
    CallQualityService,
    CallOutcomesService,
    RecordingJobs,
    RecordingUrls,
    RecordingsService,
    { provide: RecordingStorage, useClass: LocalDiskRecordingStorage },
  ],
  exports: [
    CallsService,
    CallProgressService,
    CallRollupsService,
    CallPlacementService,
    CallOutcomesService,
    RecordingJobs,
    RecordingStorage,
  ],
})
export class CallsModule {}
