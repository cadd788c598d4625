import { Module } from '@nestjs/common';
import { BolnaAdapter } from './bolna/bolna.adapter';
import { ExotelAdapter } from './exotel/exotel.adapter';
import { ProviderRegistry } from './provider-registry';
import { SimulatorAdapter } from './simulator/simulator.adapter';
import { TwilioAdapter } from './twilio/twilio.adapter';
import { SimulatorRecordingsController } from './simulator/simulator-recordings.controller';

@Module({
  controllers: [SimulatorRecordingsController],
  providers: [TwilioAdapter, ExotelAdapter, BolnaAdapter, SimulatorAdapter, ProviderRegistry],
  exports: [ProviderRegistry, TwilioAdapter, SimulatorAdapter],
})
export class ProvidersModule {}
