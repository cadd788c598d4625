import { Body, Controller, ForbiddenException, Get, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import {
  ListTransactionsQuery,
  TransactionList,
  WalletSettingsDto,
  WalletView,
} from './wallet.dto';
import { WalletAccountService } from './wallet-account.service';

const SELF_CREDIT_GONE =
  'Organizations cannot credit their own wallet: top-ups are payments, and credits and refunds are made by the platform operator';

@ApiTags('wallet')
@ApiBearerAuth()
@Controller('wallet')
export class WalletController {
  constructor(private readonly wallet: WalletAccountService) {}

  @Get()
  @ApiOkResponse({ type: WalletView })
  get(@CurrentUser() caller: AuthUser): Promise<WalletView> {
    return this.wallet.get(caller);
  }

  @Patch()
  @Roles('owner', 'admin')
  @ApiOkResponse({ type: WalletView })
  settings(@CurrentUser() caller: AuthUser, @Body() body: WalletSettingsDto): Promise<WalletView> {
    return this.wallet.setLowBalanceThreshold(caller, BigInt(body.lowBalanceThresholdMicros));
  }

  @Get('transactions')
  @ApiOkResponse({ type: TransactionList })
  transactions(
    @CurrentUser() caller: AuthUser,
    @Query() query: ListTransactionsQuery,
  ): Promise<TransactionList> {
    return this.wallet.list(caller, query);
  }

  @Get('transactions/export.csv')
  @ApiProduces('text/csv')
  export(
    @CurrentUser() caller: AuthUser,
    @Query() query: ListTransactionsQuery,
    @Res() reply: FastifyReply,
  ) {
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header(
        'Content-Disposition',
        `attachment; filename="wallet-transactions-${new Date().toISOString().slice(0, 10)}.csv"`,
      )
      .send(this.wallet.exportCsv(caller, query));
  }

  /**
   * Gone: an organization cannot credit itself. Money comes in through payments (POST
   * /api/wallet/topups, modules/payments) or the platform operator's credits and refunds.
   */
  @Post('refunds')
  @ApiForbiddenResponse({ description: 'Refunds are made by the platform operator' })
  refund(): never {
    throw new ForbiddenException(SELF_CREDIT_GONE);
  }

  @Post('adjustments')
  @ApiForbiddenResponse({ description: 'Adjustments are made by the platform operator' })
  adjust(): never {
    throw new ForbiddenException(SELF_CREDIT_GONE);
  }
}
