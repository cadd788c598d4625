import { randomUUID } from 'node:crypto';
import { DataSource, QueryFailedError } from 'typeorm';
import type { PoolClient, QueryResult } from 'pg';
import {
  executeStatement,
  queryPrepared,
  selectColumns,
  transactionStartingWith,
} from '../../src/database/raw-rows';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { createOrganization, RunningApi, startApi } from '../support/test-app';

/** The hot path's SQL helpers against real PostgreSQL: prepared statements and one-trip BEGIN. */
describe('raw-rows: prepared hot-path statements (real PostgreSQL)', () => {
  let api: RunningApi;
  let dataSource: DataSource;

  beforeAll(async () => {
    api = await startApi();
    dataSource = api.dataSource;
  });
  afterAll(() => api.close());

  async function storedCall(): Promise<string> {
    const { organization, users } = await createOrganization(dataSource, ['agent']);
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO calls (id, organization_id, agent_id, provider, provider_call_id, to_number, status)
       VALUES ($1, $2, $3, 'simulator', $4, '+14155550100', 'initiated')`,
      [id, organization.id, users.agent.id, `SIMraw${id.slice(0, 8)}`],
    );
    return id;
  }

  it('parses a statement once per connection and runs it again with new parameters', async () => {
    const first = await storedCall();
    const second = await storedCall();
    const sql = `SELECT ${selectColumns(dataSource.manager, Call, 'c')} FROM calls c WHERE c.id = ANY($1::uuid[])`;
    const { rows, prepared } = await transactionStartingWith(
      dataSource,
      'SELECT 1',
      async (manager) => {
        const a = await queryPrepared(manager, sql, [[first]]);
        const b = await queryPrepared(manager, sql, [[first, second]]);
        const statements: { statement: string }[] = await manager.query(
          'SELECT statement FROM pg_prepared_statements',
        );
        return {
          result: { rows: [a, b], prepared: statements.filter((s) => s.statement === sql) },
          writeWithCommit: null,
        };
      },
    );
    expect(rows[0].map((row) => row.id)).toEqual([first]);
    expect(rows[1].map((row) => row.id).sort()).toEqual([first, second].sort());
    expect(prepared).toHaveLength(1);
  });

  it('keeps working after a migration adds a column to the table it reads', async () => {
    const id = await storedCall();
    const sql = `SELECT ${selectColumns(dataSource.manager, Call, 'c')} FROM calls c WHERE c.id = $1`;
    // One connection throughout (the pool's only idle one is not guaranteed): the statement is
    // prepared, the table changes, the statement runs again on the same connection.
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      expect(await queryPrepared(runner.manager, sql, [id])).toHaveLength(1);
      await runner.query('ALTER TABLE calls ADD COLUMN raw_rows_probe integer');
      const [row] = await queryPrepared(runner.manager, sql, [id]);
      expect(row.id).toBe(id);
      expect(row).not.toHaveProperty('raw_rows_probe');
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it("reports a failing statement as TypeORM's QueryFailedError, with PostgreSQL's code", async () => {
    const error = await transactionStartingWith(dataSource, 'SELECT 1', async (manager) => ({
      result: await queryPrepared(manager, 'SELECT 1 / $1::int AS n', [0]),
      writeWithCommit: null,
    })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe(
      '22012',
    );
  });

  it('outside a transaction, runs the statement through the pool', async () => {
    const rows = await queryPrepared(dataSource.manager, 'SELECT $1::int + 1 AS n', [41]);
    expect(rows).toEqual([{ n: 42 }]);
  });

  it('hands the work the rows of each statement sent with BEGIN', async () => {
    const rows = await transactionStartingWith(
      dataSource,
      "SET LOCAL plan_cache_mode = force_generic_plan; SELECT current_setting('plan_cache_mode') AS mode; SELECT 2 AS n",
      async (_manager, firstRows) => ({ result: firstRows, writeWithCommit: null }),
    );
    expect(rows).toEqual([[], [{ mode: 'force_generic_plan' }], [{ n: 2 }]]);
    const [after] = await dataSource.query("SELECT current_setting('plan_cache_mode') AS mode");
    expect(after.mode).toBe('auto');
  });

  it('sends a statement this connection has prepared along with others, its parameters as literals', async () => {
    const sql = 'SELECT $1::text[] AS texts, $2::uuid[] AS ids, $3::text AS one';
    const tricky = ['a"b', 'c\\d', "e'f", 'g,{h}', 'NULL', '', 'é'];
    const id = randomUUID();
    const params = [[...tricky, null], [id], "it's"];
    const [before, direct, along] = await transactionStartingWith(
      dataSource,
      (client) => {
        // Not prepared on this connection yet: nothing to send along.
        const unprepared = executeStatement(client, sql, params);
        return `SELECT ${unprepared === null ? 'true' : 'false'} AS unprepared`;
      },
      async (manager, [[{ unprepared }]]) => {
        const first = await queryPrepared(manager, sql, params);
        const client = (manager.queryRunner as unknown as { databaseConnection: PoolClient })
          .databaseConnection;
        const execute = executeStatement(client, sql, params);
        const results = (await client.query(`SELECT 1; ${execute}`)) as unknown as QueryResult[];
        return { result: [unprepared, first, results[1].rows], writeWithCommit: null };
      },
    );
    expect(before).toBe(true);
    expect(direct).toEqual([{ texts: [...tricky, null], ids: [id], one: "it's" }]);
    expect(along).toEqual(direct);
  });

  it('writes numbers, booleans, nulls and arrays of them as literals the prepared statement takes', async () => {
    const sql =
      'SELECT $1::int AS n, $2::boolean AS b, $3::text AS nothing, $4::int[] AS ns, $5::boolean[] AS bs, $6::jsonb[] AS docs, $7::bigint AS big';
    const docs = [JSON.stringify({ say: 'a "quoted" \\ word' }), null];
    const params = [-7, false, null, [1, null, 3], [true, false], docs, 9007199254740993n];
    const [direct, along] = await transactionStartingWith(
      dataSource,
      'SELECT 1',
      async (manager) => {
        const first = await queryPrepared(manager, sql, params);
        const client = (manager.queryRunner as unknown as { databaseConnection: PoolClient })
          .databaseConnection;
        const results = (await client.query(
          `SELECT 1; ${executeStatement(client, sql, params)}`,
        )) as unknown as QueryResult[];
        return { result: [first, results[1].rows], writeWithCommit: null };
      },
    );
    expect(direct).toEqual([
      {
        n: -7,
        b: false,
        nothing: null,
        ns: [1, null, 3],
        bs: [true, false],
        docs: [{ say: 'a "quoted" \\ word' }, null],
        big: '9007199254740993',
      },
    ]);
    expect(along).toEqual(direct);
  });

  describe('the last write travels with the COMMIT', () => {
    const setNote = 'UPDATE calls SET note = $2 WHERE id = $1';
    const note = async (id: string) =>
      (
        (await dataSource.query('SELECT note FROM calls WHERE id = $1', [id])) as { note: string }[]
      )[0].note;

    /** Runs a transaction, recording every simple query its connection is sent. */
    async function recorded<T>(
      work: Parameters<typeof transactionStartingWith<T>>[2],
    ): Promise<{ sent: string[]; result?: T; error?: unknown }> {
      const sent: string[] = [];
      const outcome: { result?: T; error?: unknown } = {};
      try {
        outcome.result = await transactionStartingWith(
          dataSource,
          (client) => {
            const query = client.query.bind(client) as (...args: unknown[]) => unknown;
            const spy = (...args: unknown[]) => {
              if (typeof args[0] === 'string') sent.push(args[0]);
              return query(...args);
            };
            Object.assign(client, { query: spy });
            restore.push(() => Object.assign(client, { query }));
            return 'SELECT 1';
          },
          work,
        );
      } catch (error) {
        outcome.error = error;
      }
      return { sent, ...outcome };
    }
    const restore: (() => void)[] = [];
    afterEach(() => {
      for (const undo of restore.splice(0)) undo();
    });

    it('in one round trip once the connection has prepared its statement', async () => {
      const id = await storedCall();
      const { sent } = await recorded(async (manager) => {
        await queryPrepared(manager, setNote, [id, 'first']); // prepared on this connection now
        return { result: undefined, writeWithCommit: { sql: setNote, params: [id, "it's done"] } };
      });
      expect(sent.at(-1)).toMatch(/^EXECUTE sb_\d+\(E'[0-9a-f-]{36}', E'it''s done'\);\nCOMMIT$/);
      expect(await note(id)).toBe("it's done");
    });

    it('prepares it and commits apart the first time on a connection', async () => {
      const id = await storedCall();
      const unseen = `${setNote} /* ${randomUUID()} */`; // never prepared anywhere
      const { sent } = await recorded(async () => ({
        result: undefined,
        writeWithCommit: { sql: unseen, params: [id, 'written'] },
      }));
      expect(sent.at(-1)).toBe('COMMIT');
      expect(await note(id)).toBe('written');
    });

    it('rolls everything back when the last write fails: the COMMIT after it never runs', async () => {
      const id = await storedCall();
      const failing = 'UPDATE calls SET note = (100 / $2::int)::text WHERE id = $1';
      const { sent, error } = await recorded(async (manager) => {
        await queryPrepared(manager, failing, [id, '4']); // note = '25', prepared
        return { result: undefined, writeWithCommit: { sql: failing, params: [id, '0'] } };
      });
      expect(error).toBeInstanceOf(QueryFailedError);
      expect((error as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe(
        '22012',
      );
      expect(sent.slice(-2)).toEqual([expect.stringMatching(/;\nCOMMIT$/), 'ROLLBACK']);
      expect(await note(id)).toBeNull();
    });
  });
});
