import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { formatMicros, formatMoney } from '../../common/money';
import { dayStartsBetween, startOfDayIn } from '../../common/time-zone';
import { organizationSettings } from '../auth/organization-settings';
import { AuthUser, isAdminRole } from '../auth/auth-user';
import { OrganizationPhones } from '../auth/organization-phones';
import { WalletService } from '../wallet/wallet.service';
import { callFiguresSource } from '../calls/call-rollups';
import { DncService } from '../dnc/dnc.service';
import { AppConfig } from '../../config/app-config';
import { BillingSummary, SummaryFigures, SummaryGroup, SummaryQuery } from './billing-summary';
import { QuoteView } from './rates.dto';
import { RatesService, toRateTerms, toRateView } from './rates.service';
import { callCost, maxAffordableSeconds } from './rating';

const DAY_MS = 24 * 3600 * 1000;
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

// Over the calls' hourly figures (callFiguresSource), joined to users for the agent's name.
// `$zone` is the organization's time zone, a parameter (see summary()).
const GROUP_KEY: Record<SummaryGroup, { key: string; label: string }> = {
  day: {
    key: `to_char(f.hour AT TIME ZONE $zone, 'YYYY-MM-DD')`,
    label: `to_char(f.hour AT TIME ZONE $zone, 'YYYY-MM-DD')`,
  },
  provider: { key: 'f.provider::text', label: 'f.provider::text' },
  country: { key: `coalesce(f.country, '--')`, label: `coalesce(f.country, '--')` },
  agent: { key: `coalesce(f.agent_id::text, 'none')`, label: `coalesce(u.name, 'No agent')` },
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
    const { currency } = await organizationSettings(this.dataSource.manager, caller.organizationId);
    return {
      to: phone.e164,
      country: phone.country,
      countryName: phone.country ? (regionNames.of(phone.country) ?? null) : null,
      rate: rate ? toRateView(rate, rate.pricePlan?.isDefault ? 'default' : 'organization') : null,
      availableMicros: availableMicros.toString(),
      maxAffordableSeconds: seconds,
      minimumCallCostMicros: minimumCost?.toString() ?? null,
      doNotCall,
      refusal: doNotCall
        ? this.dnc.refusalMessage(phone.e164)
        : !rate
          ? `No rate for ${phone.e164}: calls to this destination are not enabled`
          : seconds === 0
            ? `Insufficient balance: this call needs at least ${formatMoney(minimumCost!, currency, 'exact')} available`
            : null,
    };
  }

  async summary(caller: AuthUser, query: SummaryQuery): Promise<BillingSummary> {
    const { timeZone, currency } = await organizationSettings(
      this.dataSource.manager,
      caller.organizationId,
    );
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from
      ? new Date(query.from)
      : startOfDayIn(new Date(to.getTime() - 30 * DAY_MS), timeZone);
    if (from >= to) throw new BadRequestException('from must be before to');
    const groupBy = query.groupBy ?? 'day';
    // Roll-ups by hour, not the calls: the cost grows with the period, not with the traffic. Days
    // are the organization's; where one begins inside an hour (India), that hour comes from the calls.
    const source = callFiguresSource({
      organizationId: caller.organizationId,
      from,
      to,
      agentId: isAdminRole(caller.role) ? undefined : caller.id,
      splitAt: groupBy === 'day' ? dayStartsBetween(from, to, timeZone) : undefined,
    });
    const zone = `$${source.parameters.length + 1}`;
    const parameters = groupBy === 'day' ? [...source.parameters, timeZone] : source.parameters;
    const { key, label } = GROUP_KEY[groupBy];
    const groups = (await this.dataSource.query(
      `SELECT ${key.replaceAll('$zone', zone)} AS key, ${label.replaceAll('$zone', zone)} AS label, sum(f.calls)::int AS calls, sum(f.answered)::int AS answered,
              coalesce(sum(f.billable_seconds), 0)::text AS seconds, coalesce(sum(f.spend_micros), 0)::text AS spend
         FROM (${source.sql}) AS f LEFT JOIN users u ON u.id = f.agent_id
        GROUP BY 1, 2 HAVING sum(f.calls) <> 0 ORDER BY 1`,
      parameters,
    )) as (FigureRow & { key: string; label: string })[];
    const totals = groups.reduce(
      (sum, row) => ({
        calls: sum.calls + row.calls,
        answered: sum.answered + row.answered,
        seconds: (BigInt(sum.seconds) + BigInt(row.seconds)).toString(),
        spend: (BigInt(sum.spend) + BigInt(row.spend)).toString(),
      }),
      { calls: 0, answered: 0, seconds: '0', spend: '0' } as FigureRow,
    );
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      groupBy,
      currency,
      timeZone,
      totals: figures(totals),
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
