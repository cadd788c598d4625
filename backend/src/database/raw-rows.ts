import type { PoolClient, QueryResult } from 'pg';
import {
  DataSource,
  EntityManager,
  EntityTarget,
  ObjectLiteral,
  QueryFailedError,
  QueryRunner,
} from 'typeorm';

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
 * Data-modifying statements as ONE statement (each becomes a data-modifying CTE, which PostgreSQL
 * runs to completion whether or not it is read): one round trip instead of one each. They all see
 * the same snapshot, so they must not touch the same rows. Null when there is nothing to write.
 */
export function combineWrites(writes: (SqlWrite | null)[]): SqlWrite | null {
  const parts = writes.filter((write): write is SqlWrite => write !== null);
  if (parts.length <= 1) return parts[0] ?? null;
  const params: unknown[] = [];
  const ctes = parts.map((part, index) => {
    const offset = params.length;
    params.push(...part.params);
    const sql = part.sql.replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + offset}`);
    return `w${index} AS (${sql})`;
  });
  return { sql: `WITH ${ctes.join(', ')} SELECT 1`, params };
}

const statementNames = new Map<string, string>();
/** The statements each connection has prepared (a connection keeps them until it closes). */
const preparedOn = new WeakMap<PoolClient, Set<string>>();

/** The transaction's own connection, or undefined for a manager that queries the pool. */
function connectionOf(manager: EntityManager): PoolClient | undefined {
  return (manager.queryRunner as unknown as { databaseConnection?: PoolClient } | undefined)
    ?.databaseConnection;
}

/**
 * Runs a hot-path statement as a named prepared statement on the manager's connection, so
 * PostgreSQL parses and plans it once per connection rather than on every execution (planning was
 * most of the worker's statement time). The text must be fixed (vary only the parameters: arrays
 * for lists) and must name its result columns rather than `*`, or a later migration would change
 * the prepared result type under a running process. Prepared statements live as long as their
 * server session: this needs session-level connections (no PgBouncer transaction pooling, no
 * `DISCARD ALL`), as node-postgres' own named statements do.
 */
export async function queryPrepared(
  manager: EntityManager,
  sql: string,
  params: unknown[],
): Promise<Record<string, unknown>[]> {
  const client = connectionOf(manager);
  if (!client) return manager.query(sql, params);
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `sb_${statementNames.size + 1}`;
    statementNames.set(sql, name);
  }
  try {
    const result = await client.query({ name, text: sql, values: params });
    let prepared = preparedOn.get(client);
    if (!prepared) preparedOn.set(client, (prepared = new Set()));
    prepared.add(name);
    return result.rows as Record<string, unknown>[];
  } catch (error) {
    // The same error TypeORM's own query() raises, for callers that look at driverError.
    throw new QueryFailedError(sql, params, error as Error);
  }
}

/**
 * The statement `queryPrepared` has already prepared on this connection, as an
 * `EXECUTE name(…)` with its parameters written as literals, to travel with other statements in
 * one simple query (one round trip); null while this connection has not prepared it. Parameters
 * may be strings, numbers, booleans, null, or arrays of those (each literal takes the prepared
 * parameter's type, as the text parameters of the extended protocol do).
 */
export function executeStatement(
  client: PoolClient,
  sql: string,
  params: unknown[],
): string | null {
  const name = statementNames.get(sql);
  if (name === undefined || !preparedOn.get(client)?.has(name)) return null;
  const literals = params.map((param) =>
    param == null ? 'NULL' : quoteLiteral(literalText(param)),
  );
  return `EXECUTE ${name}(${literals.join(', ')})`;
}

/** An escape-string constant: means the same whatever `standard_conforming_strings` says. */
function quoteLiteral(text: string): string {
  // pg's escapeLiteral does this a character at a time: twice the CPU on a batch's long arrays.
  return `E'${text.replace(/['\\]/g, '$&$&')}'`;
}

function literalText(value: unknown): string {
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) =>
      item == null ? 'NULL' : `"${scalarText(item).replace(/[\\"]/g, (char) => `\\${char}`)}"`,
    );
    return `{${items.join(',')}}`;
  }
  return scalarText(value);
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  throw new Error(
    `executeStatement takes strings, numbers, booleans and arrays of those, not ${typeof value}`,
  );
}

/** `c."id", c."status", …`: an entity's columns spelled out, for statements `queryPrepared` keeps. */
export function selectColumns<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  alias: string,
): string {
  const metadata = manager.connection.getMetadata(target);
  const key = `${metadata.tableName}:${alias}`;
  let list = columnLists.get(key);
  if (list === undefined) {
    list = metadata.columns.map((column) => `${alias}."${column.databaseName}"`).join(', ');
    columnLists.set(key, list);
  }
  return list;
}

const columnLists = new Map<string, string>();

/** What a transaction's work gives back: its result, and a last write to send with the COMMIT. */
export interface TransactionOutcome<T> {
  result: T;
  writeWithCommit: SqlWrite | null;
}

/**
 * A transaction whose BEGIN travels with its first statements, and whose last write travels with
 * its COMMIT: two round trips fewer, on the hot path. `firstSql` (given the transaction's
 * connection, for `executeStatement`) goes through the simple query protocol, which takes no
 * parameters: it must hold nothing but checked or escaped values (see `uuidList`); `work` gets
 * the rows of each of its statements, in order. COMMIT after `work`, ROLLBACK if anything throws.
 */
export async function transactionStartingWith<T>(
  dataSource: DataSource,
  firstSql: string | ((client: PoolClient) => string),
  work: (
    manager: EntityManager,
    firstRows: Record<string, unknown>[][],
  ) => Promise<TransactionOutcome<T>>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as PoolClient;
  try {
    const sql = typeof firstSql === 'string' ? firstSql : firstSql(client);
    const results = (await client.query(`BEGIN; ${sql}`)) as unknown as QueryResult[];
    knownTransaction(runner, true);
    const rows = results.slice(1).map((result) => result.rows as Record<string, unknown>[]);
    const { result, writeWithCommit } = await work(runner.manager, rows);
    await commitWith(client, runner.manager, writeWithCommit);
    knownTransaction(runner, false);
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    knownTransaction(runner, false);
    throw error;
  } finally {
    await runner.release();
  }
}

/**
 * Records the transaction begun by hand where TypeORM keeps its own (what `startTransaction` sets,
 * without its extra round trip). Unknown to TypeORM, it would let a `save()` or `transaction()` of
 * `work` send a BEGIN (ignored: one is open) and a COMMIT of its own, committing the first half of
 * the batch; known, they nest in it as a savepoint.
 */
function knownTransaction(runner: QueryRunner, active: boolean): void {
  const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  state.isTransactionActive = active;
  state.transactionDepth = active ? 1 : 0;
}

/**
 * COMMIT, in the same simple query as the last write once this connection has prepared that
 * write's statement (the first time, the write is prepared and run on its own). If the write
 * fails, PostgreSQL skips the rest of the query: the COMMIT never runs.
 */
async function commitWith(
  client: PoolClient,
  manager: EntityManager,
  write: SqlWrite | null,
): Promise<void> {
  const execute = write && executeStatement(client, write.sql, write.params);
  if (!write || !execute) {
    if (write) await queryPrepared(manager, write.sql, write.params);
    await client.query('COMMIT');
    return;
  }
  try {
    await client.query(`${execute};\nCOMMIT`);
  } catch (error) {
    throw new QueryFailedError(write.sql, write.params, error as Error);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** `('…', '…')` for an IN list of UUIDs checked here: safe to put into SQL text. */
export function uuidList(ids: string[]): string {
  for (const id of ids) if (!isUuid(id)) throw new Error(`not a UUID: ${JSON.stringify(id)}`);
  return `(${ids.map((id) => `'${id}'`).join(', ')})`;
}
