import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * The calls' figures by UTC hour of creation (see the CallReadsAtScale migration): `call_rollups`
 * plus the deltas the triggers appended since the last compaction. Reading both in one statement
 * sees one snapshot, so a compaction committing meanwhile cannot count a delta twice or miss it.
 *
 * Hours are UTC. Days of a zone with a half- or quarter-hour offset (India, Nepal) begin inside
 * an hour: such hours are passed as `splitAt` and read from the calls themselves, so grouping by the
 * zone's days stays exact.
 */
export interface CallFiguresRange {
  organizationId: string;
  from: Date;
  /** Exclusive; none: every call from `from` on. */
  to?: Date;
  /** One agent's calls only. */
  agentId?: string;
  /**
   * Instants where the caller's grouping changes (the starts of a zone's days): an hour that
   * contains one not on the hour is read from the calls, whose rows carry their exact time.
   */
  splitAt?: readonly Date[];
}

const HOUR_MS = 3_600_000;

/**
 * SQL of a relation (hour, provider, country, agent_id, calls, answered, billable_seconds,
 * spend_micros) whose sums are the figures of the calls created in the range, and its parameters,
 * numbered from `firstParameter`. Whole hours come from the roll-ups; the parts of an hour at
 * either end of the range (at most two) and the hours split by `splitAt` are read from `calls` by
 * its (organization, created_at) index, with `hour` the call's own creation time, so a row always
 * falls on the right side of a boundary. Cost: O(hours × providers × countries × agents), not
 * O(calls).
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
    `SELECT created_at AS hour, provider, country, agent_id, 1::bigint AS calls,
            (answered_at IS NOT NULL)::int::bigint AS answered, coalesce(billable_seconds, 0)::bigint AS billable_seconds,
            coalesce(cost_micros, 0)::bigint AS spend_micros
       FROM calls WHERE organization_id = ${organization} AND created_at >= ${start} AND created_at < ${end}${agent}`;
  const hoursTo = range.to ? new Date(Math.floor(range.to.getTime() / HOUR_MS) * HOUR_MS) : null;
  // Whole hours of the range that a split point falls inside of.
  const splitHours = [
    ...new Set(
      (range.splitAt ?? [])
        .filter((at) => at.getTime() % HOUR_MS !== 0)
        .map((at) => Math.floor(at.getTime() / HOUR_MS) * HOUR_MS)
        .filter((hour) => hour >= hoursFrom.getTime() && (!hoursTo || hour < hoursTo.getTime())),
    ),
  ].map((hour) => new Date(hour).toISOString());
  const split = splitHours.length ? parameter(splitHours) : null;
  const fromRollups = (table: string, start: string, end: string | null) =>
    `SELECT ${keys}, ${figures} FROM ${table}
      WHERE organization_id = ${organization} AND hour >= ${start}${end ? ` AND hour < ${end}` : ''}${agent}${
        split ? ` AND hour <> ALL(${split}::timestamptz[])` : ''
      }`;
  const splitFromCalls = () =>
    `SELECT c.created_at AS hour, c.provider, c.country, c.agent_id, 1::bigint AS calls,
            (c.answered_at IS NOT NULL)::int::bigint AS answered, coalesce(c.billable_seconds, 0)::bigint AS billable_seconds,
            coalesce(c.cost_micros, 0)::bigint AS spend_micros
       FROM unnest(${split}::timestamptz[]) AS s(start)
       JOIN calls c ON c.organization_id = ${organization} AND c.created_at >= s.start
                   AND c.created_at < s.start + interval '1 hour'${agent.replace('agent_id', 'c.agent_id')}`;

  if (!range.to || !hoursTo) {
    const start = parameter(hoursFrom);
    const parts = [
      fromRollups('call_rollups', start, null),
      fromRollups('call_rollup_deltas', start, null),
    ];
    if (hoursFrom.getTime() !== from.getTime()) parts.push(fromCalls(parameter(from), start));
    if (split) parts.push(splitFromCalls());
    return { sql: parts.join('\n UNION ALL\n'), parameters };
  }
  const to = range.to;
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
  if (split) parts.push(splitFromCalls());
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
