import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { formatMicros } from '../../common/money';
import { AuthUser, isAdminRole } from '../auth/auth-user';
import { OrganizationPhones } from '../auth/organization-phones';
import { WalletService } from '../wallet/wallet.service';
import { DncService } from '../dnc/dnc.service';
import { AppConfig } from '../../config/app-config';
import { BillingSummary, SummaryFigures, SummaryGroup, SummaryQuery } from './billing-summary';
import { QuoteView } from './rates.dto';
import { RatesService, toRateTerms, toRateView } from './rates.service';
import { callCost, maxAffordableSeconds } from './rating';

const DAY_MS = 24 * 3600 * 1000;
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

const GROUP_KEY: Record<SummaryGroup, { key: string; label: string }> = {
  day: {
    key: `to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
    label: `to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
  },
  provider: { key: 'c.provider::text', label: 'c.provider::text' },
  country: { key: `coalesce(c.country, '--')`, label: `coalesce(c.country, '--')` },
  agent: { key: `coalesce(c.agent_id::text, 'none')`, label: `coalesce(u.name, 'No agent')` },
};

interface FigureRow {
  calls: number;
  answered: number;
  seconds: string;
  spend: string;
}

function figures(row: FigureRow): SummaryFigures {
  const seconds = Number(row.seconds);
  const spend = BigInt(row.spend);
  return {
    calls: row.calls,
    answered: row.answered,
    answerRate: row.calls ? Math.round((row.answered / row.calls) * 1000) / 1000 : 0,
    billableSeconds: seconds,
    minutes: Math.round((seconds / 60) * 10) / 10,
    averageDurationSeconds: row.answered ? Math.round(seconds / row.answered) : 0,
    spendMicros: spend.toString(),
    spend: formatMicros(spend),
  };
}

/** Quotes and spend analytics, scoped like call history (agents: their own calls). */
@Injectable()
export class BillingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rates: RatesService,
    private readonly wallets: WalletService,
    private readonly config: AppConfig,
    private readonly dnc: DncService,
  ) {}

  async quote(caller: AuthUser, to: string): Promise<QuoteView> {
    const phone = (
      await OrganizationPhones.of(this.dataSource.manager, caller.organizationId)
    ).require(to ?? '', 'to');
    const rate = await this.rates.findRate(caller.organizationId, phone.e164);
    const { availableMicros } = await this.wallets.balance(
      this.dataSource.manager,
      caller.organizationId,
    );
    const seconds = rate
      ? maxAffordableSeconds(availableMicros, toRateTerms(rate), this.config.MAX_CALL_SECONDS)
      : 0;
    const minimumCost = rate ? callCost(1, toRateTerms(rate)) : null;
    const doNotCall = await this.dnc.isBlocked(undefined, caller.organizationId, phone.e164);
    return {
      to: phone.e164,
      country: phone.country,
      countryName: phone.country ? (regionNames.of(phone.country) ?? null) : null,
      rate: rate ? toRateView(rate) : null,
      availableMicros: availableMicros.toString(),
      maxAffordableSeconds: seconds,
      minimumCallCostMicros: minimumCost?.toString() ?? null,
      doNotCall,
      refusal: doNotCall
        ? this.dnc.refusalMessage(phone.e164)
        : !rate
          ? `No rate for ${phone.e164}: calls to this destination are not enabled`
          : seconds === 0
            ? `Insufficient balance: this call needs at least ${formatMicros(minimumCost!)} available`
            : null,
    };
  }

  async summary(caller: AuthUser, query: SummaryQuery): Promise<BillingSummary> {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (from >= to) throw new BadRequestException('from must be before to');
    const groupBy = query.groupBy ?? 'day';
    const parameters: unknown[] = [caller.organizationId, from, to];
    let scope = '';
    if (!isAdminRole(caller.role)) {
      parameters.push(caller.id);
      scope = 'AND c.agent_id = $4';
    }
    const select = `count(*)::int AS calls, count(c.answered_at)::int AS answered,
                    coalesce(sum(c.billable_seconds), 0)::text AS seconds, coalesce(sum(c.cost_micros), 0)::text AS spend`;
    const where = `c.organization_id = $1 AND c.created_at >= $2 AND c.created_at < $3 ${scope}`;
    const { key, label } = GROUP_KEY[groupBy];
    const [totals, groups] = await Promise.all([
      this.dataSource.query(`SELECT ${select} FROM calls c WHERE ${where}`, parameters) as Promise<
        FigureRow[]
      >,
      this.dataSource.query(
        `SELECT ${key} AS key, ${label} AS label, ${select}
           FROM calls c LEFT JOIN users u ON u.id = c.agent_id
          WHERE ${where} GROUP BY 1, 2 ORDER BY 1`,
        parameters,
      ) as Promise<(FigureRow & { key: string; label: string })[]>,
    ]);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      groupBy,
      currency: 'USD',
      totals: figures(totals[0]),
      groups: groups.map((row) => ({
        key: row.key,
        label:
          groupBy === 'country' && row.key !== '--'
            ? (regionNames.of(row.key) ?? row.key)
            : row.label,
        ...figures(row),
      })),
    };
  }
}
