import { Module } from '@nestjs/common';
import { DncController } from './dnc.controller';
import { DncService } from './dnc.service';

@Module({
  controllers: [DncController],
  providers: [DncService],
  exports: [DncService],
})
export class DncModule {}
