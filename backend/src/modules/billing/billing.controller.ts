import { Controller, ForbiddenException, Get, Put, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { csvStringifier, decimalAmount } from '../../common/csv';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { BillingSummary, SummaryQuery } from './billing-summary';
import { BillingService } from './billing.service';
import { QuoteView, RateDeckView } from './rates.dto';
import { RatesService } from './rates.service';

@ApiTags('billing')
@ApiBearerAuth()
@Controller('billing')
export class BillingController {
  constructor(
    private readonly billing: BillingService,
    private readonly rates: RatesService,
  ) {}

  @Get('quote')
  @ApiQuery({ name: 'to', example: '+14155550100' })
  @ApiOkResponse({ type: QuoteView })
  quote(@CurrentUser() caller: AuthUser, @Query('to') to: string): Promise<QuoteView> {
    return this.billing.quote(caller, to);
  }

  @Get('summary')
  @ApiOkResponse({ type: BillingSummary })
  summary(@CurrentUser() caller: AuthUser, @Query() query: SummaryQuery): Promise<BillingSummary> {
    return this.billing.summary(caller, query);
  }

  @Get('summary.csv')
  @ApiProduces('text/csv')
  async summaryCsv(
    @CurrentUser() caller: AuthUser,
    @Query() query: SummaryQuery,
    @Res() reply: FastifyReply,
  ) {
    const summary = await this.billing.summary(caller, query);
    const rows = summary.groups.map((group) => [
      group.key,
      group.label,
      group.calls,
      group.answered,
      group.answerRate,
      group.minutes,
      group.averageDurationSeconds,
      group.spendMicros,
      decimalAmount(group.spendMicros),
    ]);
    const csv = Readable.from(rows).pipe(
      csvStringifier([
        summary.groupBy,
        'label',
        'calls',
        'answered',
        'answer_rate',
        'minutes',
        'average_duration_seconds',
        'spend_micros',
        `spend_${summary.currency.toLowerCase()}`,
      ]),
    );
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header(
        'Content-Disposition',
        `attachment; filename="billing-${summary.groupBy}-${summary.from.slice(0, 10)}-${summary.to.slice(0, 10)}.csv"`,
      )
      .send(csv);
  }

  /** The organization's price plan, read-only: the platform operator sets prices. */
  @Get('rates')
  @Roles('owner', 'admin')
  @ApiOkResponse({ type: RateDeckView })
  deck(@CurrentUser() caller: AuthUser): Promise<RateDeckView> {
    return this.rates.deck(caller.organizationId);
  }

  /** Gone: an organization cannot set its own prices (kept so that clients get a 403 saying why). */
  @Put('rates')
  @ApiForbiddenResponse({ description: 'Prices are set by the platform operator (price plans)' })
  replace(): never {
    throw new ForbiddenException(
      'Rates are set by the platform operator through price plans; organizations can only read them',
    );
  }
}
