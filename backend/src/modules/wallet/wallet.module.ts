import { Module } from '@nestjs/common';
import { LedgerService } from './ledger.service';
import { WalletAccountService } from './wallet-account.service';
import { WalletController } from './wallet.controller';
import { WalletService } from './wallet.service';

@Module({
  controllers: [WalletController],
  providers: [LedgerService, WalletService, WalletAccountService],
  exports: [LedgerService, WalletService],
})
export class WalletModule {}
