import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * The calls' figures by UTC hour of creation (see the CallReadsAtScale migration): `call_rollups`
 * plus the deltas the triggers appended since the last compaction. Reading both in one statement
 * sees one snapshot, so a compaction committing meanwhile cannot count a delta twice or miss it.
 *
 * Hours are UTC: a time zone with a whole-hour offset gets its days from the same rows. Zones
 * with half- or quarter-hour offsets (India, Nepal) would need the buckets made finer.
 */
export interface CallFiguresRange {
  organizationId: string;
  from: Date;
  /** Exclusive; none: every call from `from` on. */
  to?: Date;
  /** One agent's calls only. */
  agentId?: string;
}

const HOUR_MS = 3_600_000;

/**
 * SQL of a relation (hour, provider, country, agent_id, calls, answered, billable_seconds,
 * spend_micros) whose sums are the figures of the calls created in the range, and its parameters,
 * numbered from `firstParameter`. Whole hours come from the roll-ups; the parts of an hour at
 * either end of the range (at most two) are read from `calls` by its (organization, created_at)
 * index. Cost: O(hours × providers × countries × agents), not O(calls).
 */
export function callFiguresSource(
  range: CallFiguresRange,
  firstParameter = 1,
): { sql: string; parameters: unknown[] } {
  const parameters: unknown[] = [];
  const parameter = (value: unknown) => {
    parameters.push(value);
    return `$${firstParameter + parameters.length - 1}`;
  };
  const organization = parameter(range.organizationId);
  const agent = range.agentId ? ` AND agent_id = ${parameter(range.agentId)}::uuid` : '';
  const from = range.from;
  const hoursFrom = new Date(Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS);
  const figures = `calls, answered, billable_seconds, spend_micros`;
  const keys = `hour, provider, country, agent_id`;
  const fromCalls = (start: string, end: string) =>
    `SELECT date_trunc('hour', created_at, 'UTC') AS hour, provider, country, agent_id, 1::bigint AS calls,
            (answered_at IS NOT NULL)::int::bigint AS answered, coalesce(billable_seconds, 0)::bigint AS billable_seconds,
            coalesce(cost_micros, 0)::bigint AS spend_micros
       FROM calls WHERE organization_id = ${organization} AND created_at >= ${start} AND created_at < ${end}${agent}`;
  const fromRollups = (table: string, start: string, end: string | null) =>
    `SELECT ${keys}, ${figures} FROM ${table}
      WHERE organization_id = ${organization} AND hour >= ${start}${end ? ` AND hour < ${end}` : ''}${agent}`;

  if (!range.to) {
    const start = parameter(hoursFrom);
    const parts = [
      fromRollups('call_rollups', start, null),
      fromRollups('call_rollup_deltas', start, null),
    ];
    if (hoursFrom.getTime() !== from.getTime()) parts.push(fromCalls(parameter(from), start));
    return { sql: parts.join('\n UNION ALL\n'), parameters };
  }
  const to = range.to;
  const hoursTo = new Date(Math.floor(to.getTime() / HOUR_MS) * HOUR_MS);
  if (hoursFrom >= hoursTo) {
    // Not one whole hour: the calls themselves.
    return { sql: fromCalls(parameter(from), parameter(to)), parameters };
  }
  const start = parameter(hoursFrom);
  const end = parameter(hoursTo);
  const parts = [
    fromRollups('call_rollups', start, end),
    fromRollups('call_rollup_deltas', start, end),
  ];
  if (hoursFrom.getTime() !== from.getTime()) parts.push(fromCalls(parameter(from), start));
  if (hoursTo.getTime() !== to.getTime()) parts.push(fromCalls(end, parameter(to)));
  return { sql: parts.join('\n UNION ALL\n'), parameters };
}

/** Keeps the roll-ups compact: folds the deltas the triggers append into `call_rollups`. */
@Injectable()
export class CallRollupsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Returns how many deltas were folded. */
  async compact(): Promise<number> {
    const rows: { folded: string }[] = await this.dataSource.query(
      `SELECT compact_call_rollups()::text AS folded`,
    );
    return Number(rows[0].folded);
  }
}
