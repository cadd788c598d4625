import { Module } from '@nestjs/common';
import { ProvidersModule } from '../providers/providers.module';
import { CallPlacementService } from './call-placement.service';
import { CallProgressService } from './call-progress.service';
import { CallsController } from './calls.controller';
import { CallsService } from './calls.service';
import { VoiceController } from './voice.controller';
import { VoiceService } from './voice.service';

@Module({
  imports: [ProvidersModule],
  controllers: [CallsController, VoiceController],
  providers: [CallsService, CallPlacementService, CallProgressService, VoiceService],
  exports: [CallsService, CallProgressService],
})
export class CallsModule {}
