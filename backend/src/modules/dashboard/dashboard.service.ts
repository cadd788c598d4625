import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { formatMicros } from '../../common/money';
import { startOfDayIn } from '../../common/time-zone';
import { organizationSettings } from '../auth/organization-settings';
import { callFiguresSource } from '../calls/call-rollups';
import { Wallet } from '../wallet/entities/wallet.entity';

export class ActiveCallCounts {
  @ApiProperty() initiated: number;
  @ApiProperty() ringing: number;
  @ApiProperty() in_progress: number;
  @ApiProperty() total: number;
}

export class TodayFigures {
  @ApiProperty() calls: number;
  @ApiProperty() answered: number;
  @ApiProperty({ description: '0..1' }) answerRate: number;
  @ApiProperty({ description: 'Billable minutes, one decimal' }) minutes: number;
  @ApiProperty({ description: 'micro-units' }) spendMicros: string;
  @ApiProperty() spend: string;
}

export class DashboardBalance {
  @ApiProperty() balanceMicros: string;
  @ApiProperty() heldMicros: string;
  @ApiProperty() availableMicros: string;
}

export class DashboardMetrics {
  @ApiProperty({ type: ActiveCallCounts, description: 'Calls in progress by status' })
  activeCalls: ActiveCallCounts;
  @ApiProperty({
    type: TodayFigures,
    description: "Since midnight in the organization's time zone",
  })
  today: TodayFigures;
  @ApiProperty({
    type: [Number],
    description:
      "Calls placed in each hour of today in the organization's time zone (24 numbers; in a zone " +
      'with a half-hour offset, an hour counts from the half hour the UTC hour starts at)',
  })
  callsPerHour: number[];
  @ApiProperty({ description: "The organization's IANA time zone, whose day `today` is" })
  timeZone: string;
  @ApiProperty({ type: DashboardBalance })
  balance: DashboardBalance;
  @ApiProperty({
    enum: ['organization', 'agent'],
    description: 'Whose calls these numbers count: the organization, or one agent',
  })
  scope: 'organization' | 'agent';
  @ApiProperty() generatedAt: string;
}

/** The dashboard's numbers, for the organization (admins) or for one agent's own calls. */
@Injectable()
export class DashboardService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async metrics(organizationId: string, agentId?: string): Promise<DashboardMetrics> {
    const parameters: unknown[] = [organizationId];
    let scope = '';
    if (agentId) {
      parameters.push(agentId);
      scope = 'AND agent_id = $2';
    }
    // Today's figures come from the hourly roll-ups (at most 24 hours × providers × countries ×
    // agents rows), whatever the number of calls; the active calls from their partial index.
    const { timeZone } = await organizationSettings(this.dataSource.manager, organizationId);
    const midnight = startOfDayIn(new Date(), timeZone);
    const today = callFiguresSource({ organizationId, from: midnight, agentId });
    const zone = `$${today.parameters.length + 1}`;
    const [active, hours, wallet] = await Promise.all([
      this.dataSource.query(
        `SELECT status::text AS status, count(*)::int AS n FROM calls
          WHERE organization_id = $1 ${scope} AND status IN ('initiated', 'ringing', 'in_progress')
          GROUP BY status`,
        parameters,
      ) as Promise<{ status: string; n: number }[]>,
      this.dataSource.query(
        `SELECT extract(hour FROM hour AT TIME ZONE ${zone})::int AS hour, sum(calls)::int AS calls,
                sum(answered)::int AS answered, sum(billable_seconds)::text AS seconds,
                sum(spend_micros)::text AS spend
           FROM (${today.sql}) AS figures
          GROUP BY 1`,
        [...today.parameters, timeZone],
      ) as Promise<
        { hour: number; calls: number; answered: number; seconds: string; spend: string }[]
      >,
      this.dataSource.getRepository(Wallet).findOneBy({ organizationId }),
    ]);
    const byStatus = Object.fromEntries(active.map((row) => [row.status, row.n]));
    const callsPerHour = Array.from(
      { length: 24 },
      (_, hour) => hours.find((row) => row.hour === hour)?.calls ?? 0,
    );
    const figures = hours.reduce(
      (sum, row) => ({
        calls: sum.calls + row.calls,
        answered: sum.answered + row.answered,
        seconds: sum.seconds + Number(row.seconds),
        spend: sum.spend + BigInt(row.spend),
      }),
      { calls: 0, answered: 0, seconds: 0, spend: 0n },
    );
    const spend = figures.spend;
    const balance = wallet?.balanceMicros ?? 0n;
    const held = wallet?.heldMicros ?? 0n;
    return {
      activeCalls: {
        initiated: byStatus.initiated ?? 0,
        ringing: byStatus.ringing ?? 0,
        in_progress: byStatus.in_progress ?? 0,
        total: active.reduce((sum, row) => sum + row.n, 0),
      },
      today: {
        calls: figures.calls,
        answered: figures.answered,
        answerRate: figures.calls
          ? Math.round((figures.answered / figures.calls) * 1000) / 1000
          : 0,
        minutes: Math.round((figures.seconds / 60) * 10) / 10,
        spendMicros: spend.toString(),
        spend: formatMicros(spend),
      },
      callsPerHour,
      balance: {
        balanceMicros: balance.toString(),
        heldMicros: held.toString(),
        availableMicros: (balance - held).toString(),
      },
      timeZone,
      scope: agentId ? 'agent' : 'organization',
      generatedAt: new Date().toISOString(),
    };
  }
}
