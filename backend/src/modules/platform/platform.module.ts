import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { WalletModule } from '../wallet/wallet.module';
import { PlatformController } from './platform.controller';
import { PlatformMoneyService } from './platform-money.service';
import { PlatformOperatorBootstrap } from './platform-operator.bootstrap';
import { PlatformOrganizationsService } from './platform-organizations.service';
import { PricePlansService } from './price-plans.service';

/** The platform operator's part of the api (docs/platform.md). */
@Module({
  imports: [BillingModule, WalletModule],
  controllers: [PlatformController],
  providers: [
    PlatformOrganizationsService,
    PlatformMoneyService,
    PricePlansService,
    PlatformOperatorBootstrap,
  ],
})
export class PlatformModule {}
