import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { MicroBatcher } from '../../common/micro-batcher';
import { WebhookProvider } from './entities/webhook-event.entity';

/** A webhook_events row as the ingress stores it (`headers` already serialized as JSON). */
export interface IngressRow {
  provider: WebhookProvider;
  dedupeKey: string;
  url: string;
  headers: string;
  contentType: string | null;
  rawBody: string;
  state: 'received' | 'rejected';
  lastError: string | null;
}

/** Rows per INSERT: 8 parameters each, far below PostgreSQL's 65,535. */
export const MAX_BATCH_ROWS = 200;
/** INSERTs in flight at once; rows that arrive meanwhile wait and form the next batch. */
export const MAX_BATCHES_IN_FLIGHT = 2;

const COLUMNS =
  'provider, dedupe_key, url, headers, content_type, raw_body, state, last_error' as const;

/** A row with its provider-and-key, by which returned ids are matched. */
interface KeyedRow {
  row: IngressRow;
  key: string;
}

/** What PostgreSQL stores for a key (UTF-8 cannot hold a lone surrogate), so returned keys match. */
function wellFormed(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}

const statements = new Map<number, string>();

/** The INSERT for `rows` rows (built once per size). */
function statement(rows: number): string {
  const cached = statements.get(rows);
  if (cached) return cached;
  const values: string[] = [];
  for (let row = 0; row < rows; row += 1) {
    const first = row * 8;
    values.push(
      `($${first + 1}, $${first + 2}, $${first + 3}, $${first + 4}, $${first + 5}, $${first + 6}, $${first + 7}, $${first + 8})`,
    );
  }
  const text = `INSERT INTO webhook_events (${COLUMNS}) VALUES ${values.join(', ')}
    ON CONFLICT (provider, dedupe_key) DO NOTHING
    RETURNING id, provider, dedupe_key`;
  statements.set(rows, text);
  return text;
}

/**
 * Stores ingress rows in webhook_events. The rows of requests that arrive in the same turn of the
 * event loop (or while earlier INSERTs are in flight, up to MAX_BATCH_ROWS) go into ONE multi-row
 * `INSERT … ON CONFLICT (provider, dedupe_key) DO NOTHING RETURNING`: one statement, one commit,
 * for all of them. Each caller's promise settles only after that commit, with its row's id, or
 * null when the key was already stored (a duplicate). Two requests with the same key in one batch:
 * the first gets the id, the other is its duplicate.
 *
 * Rows go in sorted by key: two INSERTs in flight at once (here or in another api process) that
 * share keys then take their unique-index locks in the same order, and wait for each other
 * instead of deadlocking.
 *
 * If a batch fails (one bad row fails the whole statement), its rows are written again one by one,
 * so a bad request fails alone, as it would without batching.
 */
@Injectable()
export class WebhookEventWriter {
  private readonly batches = new MicroBatcher<KeyedRow, string | null>({
    name: 'webhook event rows',
    maxBatch: MAX_BATCH_ROWS,
    maxInFlight: MAX_BATCHES_IN_FLIGHT,
    run: async (batch) => {
      const ids = await this.insertRows(batch);
      return batch.map(({ key }) => {
        const id = ids.get(key) ?? null;
        ids.delete(key); // a later request with the same key in this batch is a duplicate
        return id;
      });
    },
    // One bad row fails the whole statement: the others are written again alone.
    onBatchError: 'each-alone',
  });

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Resolves with the new event id once its row is committed, or null for a duplicate. */
  insert(row: IngressRow): Promise<string | null> {
    const dedupeKey = wellFormed(row.dedupeKey);
    return this.batches.submit({
      row: { ...row, dedupeKey },
      key: `${row.provider}\u0000${dedupeKey}`,
    });
  }

  /** One INSERT for the batch; returns the ids of the rows it created, by provider and key. */
  private async insertRows(batch: KeyedRow[]): Promise<Map<string, string>> {
    const parameters: unknown[] = [];
    const inKeyOrder = [...batch].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const { row } of inKeyOrder) {
      parameters.push(
        row.provider,
        row.dedupeKey,
        row.url,
        row.headers,
        row.contentType,
        row.rawBody,
        row.state,
        row.lastError,
      );
    }
    const { rows } = await this.pool().query<{
      id: string;
      provider: string;
      dedupe_key: string;
    }>(statement(batch.length), parameters);
    return new Map(rows.map((row) => [`${row.provider}\u0000${row.dedupe_key}`, row.id]));
  }

  /** node-postgres' pool under TypeORM: the hot path skips TypeORM's query-runner bookkeeping. */
  private pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }
}
