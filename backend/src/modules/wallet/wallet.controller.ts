import { Body, Controller, Get, Headers, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import {
  AdjustmentDto,
  ListTransactionsQuery,
  RefundDto,
  TopUpDto,
  TransactionList,
  TransactionView,
  WalletSettingsDto,
  WalletView,
} from './wallet.dto';
import { WalletAccountService } from './wallet-account.service';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: true,
  description:
    'A unique key per intended movement (e.g. a UUID); retries with the same key are harmless',
};

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

  @Post('topups')
  @HttpCode(201)
  @Roles('owner', 'admin')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: TransactionView })
  topUp(
    @CurrentUser() caller: AuthUser,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: TopUpDto,
  ): Promise<TransactionView> {
    return this.wallet.topUp(caller, idempotencyKey, body);
  }

  @Post('refunds')
  @HttpCode(201)
  @Roles('owner')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: TransactionView })
  refund(
    @CurrentUser() caller: AuthUser,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: RefundDto,
  ): Promise<TransactionView> {
    return this.wallet.refund(caller, idempotencyKey, body);
  }

  @Post('adjustments')
  @HttpCode(201)
  @Roles('owner')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: TransactionView })
  adjust(
    @CurrentUser() caller: AuthUser,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: AdjustmentDto,
  ): Promise<TransactionView> {
    return this.wallet.adjust(caller, idempotencyKey, body);
  }
}
