import type { PoolClient, QueryResult } from 'pg';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Hot-path helpers: plain SQL through the transaction's connection, with rows turned into entities
 * (and entity changes into SET lists) from the entity metadata, so column names and money
 * transformers stay defined in one place. TypeORM's finders cost about 3-4× the CPU of the query.
 */
export function hydrate<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  row: Record<string, unknown>,
): T {
  const metadata = manager.connection.getMetadata(target);
  const entity = metadata.create() as Record<string, unknown>;
  for (const column of metadata.columns) {
    if (!(column.databaseName in row)) continue;
    const raw = row[column.databaseName];
    const transformer = column.transformer;
    entity[column.propertyName] =
      transformer && !Array.isArray(transformer)
        ? (transformer as { from(value: unknown): unknown }).from(raw)
        : raw;
  }
  return entity as T;
}

/** `UPDATE table SET … WHERE id = $1` for the changed properties of an entity. */
export async function updateById<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  id: string,
  changes: Partial<T>,
): Promise<void> {
  const metadata = manager.connection.getMetadata(target);
  const assignments: string[] = [];
  const values: unknown[] = [id];
  for (const [property, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${metadata.tableName} has no column for ${property}`);
    const transformer = column.transformer;
    values.push(
      transformer && !Array.isArray(transformer)
        ? (transformer as { to(value: unknown): unknown }).to(value)
        : value,
    );
    assignments.push(`"${column.databaseName}" = $${values.length}`);
  }
  if (assignments.length === 0) return;
  if (metadata.updateDateColumn)
    assignments.push(`"${metadata.updateDateColumn.databaseName}" = now()`);
  await manager.query(
    `UPDATE "${metadata.tableName}" SET ${assignments.join(', ')} WHERE id = $1`,
    values,
  );
}

/** A data-modifying statement (UPDATE / INSERT / DELETE) to be sent together with others. */
export interface SqlWrite {
  sql: string;
  params: unknown[];
}

/**
 * Sends data-modifying statements as ONE statement (each becomes a data-modifying CTE, which
 * PostgreSQL runs to completion whether or not it is read): one round trip instead of one each.
 * They all see the same snapshot, so they must not touch the same rows.
 */
export async function writeTogether(
  manager: EntityManager,
  writes: (SqlWrite | null)[],
): Promise<void> {
  const parts = writes.filter((write): write is SqlWrite => write !== null);
  if (parts.length === 0) return;
  if (parts.length === 1) {
    await manager.query(parts[0].sql, parts[0].params);
    return;
  }
  const params: unknown[] = [];
  const ctes = parts.map((part, index) => {
    const offset = params.length;
    params.push(...part.params);
    const sql = part.sql.replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + offset}`);
    return `w${index} AS (${sql})`;
  });
  await manager.query(`WITH ${ctes.join(', ')} SELECT 1`, params);
}

/**
 * A transaction whose BEGIN travels with its first statement: one round trip instead of two, on the
 * hot path. `firstSql` goes through the simple query protocol, which takes no parameters: it must
 * hold nothing but checked values (see `uuidList`). COMMIT after `work`, ROLLBACK if it throws.
 */
export async function transactionStartingWith<T>(
  dataSource: DataSource,
  firstSql: string,
  work: (manager: EntityManager, firstRows: Record<string, unknown>[]) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as PoolClient;
  try {
    const results = (await client.query(`BEGIN; ${firstSql}`)) as unknown as QueryResult[];
    const result = await work(runner.manager, results[1].rows as Record<string, unknown>[]);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** `('…', '…')` for an IN list of UUIDs checked here: safe to put into SQL text. */
export function uuidList(ids: string[]): string {
  for (const id of ids) if (!isUuid(id)) throw new Error(`not a UUID: ${JSON.stringify(id)}`);
  return `(${ids.map((id) => `'${id}'`).join(', ')})`;
}
