import { Module } from '@nestjs/common';
import { WalletModule } from '../wallet/wallet.module';
import { DncModule } from '../dnc/dnc.module';
import { BillingController } from './billing.controller';
import { BillingService } from './billing.service';
import { CallBillingService } from './call-billing.service';
import { RatesService } from './rates.service';

@Module({
  imports: [WalletModule, DncModule],
  controllers: [BillingController],
  providers: [RatesService, CallBillingService, BillingService],
  exports: [RatesService, CallBillingService],
})
export class BillingModule {}
