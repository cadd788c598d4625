import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reads at a million calls: one (organization, filter, created_at, id) index per history filter,
 * pg_trgm indexes for substring search of numbers (in `call_search`) and names, and the calls'
 * hourly roll-ups.
 *
 * Roll-ups: `call_rollups` holds, per organization × UTC hour of creation × provider × country ×
 * agent, the calls, answered calls, billable seconds and spend. Triggers on `calls` append what
 * each statement changed to `call_rollup_deltas` in the statement's own transaction, so the
 * figures are exact at every commit whoever writes a call (the worker's batch, placement,
 * reconciliation, a user deleted and its calls' agent set to null). Appending never waits for
 * another transaction: a shared counter row updated in place would be locked until each writer's
 * commit (serializing the worker's batches of an organization) and taken in an order that can
 * deadlock with the wallet lock. `compact_call_rollups()` (run by the worker every few seconds)
 * folds the deltas into `call_rollups`; readers add the deltas not folded yet.
 *
 * None of these tables is a TypeORM entity: they are written by the triggers only and read with SQL.
 */
export class CallReadsAtScale1796183679784 implements MigrationInterface {
  name = 'CallReadsAtScale1796183679784';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."calls_org_status_idx"`);
    await queryRunner.query(`CREATE INDEX "calls_org_contact_created_idx" ON "calls"  ("organization_id", "contact_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "calls_org_direction_created_idx" ON "calls"  ("organization_id", "direction", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "calls_org_country_created_idx" ON "calls"  ("organization_id", "country", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "calls_org_provider_created_idx" ON "calls"  ("organization_id", "provider", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "calls_org_status_created_idx" ON "calls"  ("organization_id", "status", "created_at", "id") `);

    // Substring search. Debian's postgresql-15 ships pg_trgm in its contrib (it is not a separate package).
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    // Number search reads a table of its own, written when a call is created (and if its numbers
    // ever change), never by the worker: the worker's updates of a call are not HOT (status is
    // indexed), so every index on calls takes a new entry per update, and a trigram index on the
    // numbers made the batch's UPDATE measurably slower. Room for more searchable text (#16).
    await queryRunner.query(`
      CREATE TABLE "call_search" (
        "call_id" uuid PRIMARY KEY REFERENCES "calls"("id") ON DELETE CASCADE,
        "organization_id" uuid NOT NULL,
        "numbers" text NOT NULL
      )`);
    // Both numbers in one text: digits cannot match across the space, so this is "either contains".
    await queryRunner.query(
      `CREATE INDEX "call_search_numbers_trgm_idx" ON "call_search" USING gin ("numbers" gin_trgm_ops)`,
    );
    await queryRunner.query(`
      CREATE FUNCTION "call_search_after_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO call_search (call_id, organization_id, numbers)
        SELECT id, organization_id, to_number || ' ' || coalesce(from_number, '') FROM new_calls;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION "call_search_after_numbers_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE call_search SET numbers = NEW.to_number || ' ' || coalesce(NEW.from_number, '')
         WHERE call_id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "calls_search_insert" AFTER INSERT ON "calls"
        REFERENCING NEW TABLE AS new_calls FOR EACH STATEMENT EXECUTE FUNCTION call_search_after_insert()`);
    // UPDATE OF: fires only for statements that set a number (never the worker's).
    await queryRunner.query(`
      CREATE TRIGGER "calls_search_numbers" AFTER UPDATE OF "to_number", "from_number" ON "calls"
        FOR EACH ROW WHEN (OLD.to_number IS DISTINCT FROM NEW.to_number OR OLD.from_number IS DISTINCT FROM NEW.from_number)
        EXECUTE FUNCTION call_search_after_numbers_change()`);
    await queryRunner.query(`
      INSERT INTO call_search (call_id, organization_id, numbers)
      SELECT id, organization_id, to_number || ' ' || coalesce(from_number, '') FROM calls`);
    await queryRunner.query(`CREATE INDEX "contacts_sort_name_trgm_idx" ON "contacts" USING gin ("sort_name" gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX "contacts_company_trgm_idx" ON "contacts" USING gin (lower("company") gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX "contacts_phone_trgm_idx" ON "contacts" USING gin ("phone" gin_trgm_ops)`);

    await queryRunner.query(`
      CREATE TABLE "call_rollups" (
        "organization_id" uuid NOT NULL REFERENCES "organizations"("id") ON DELETE CASCADE,
        "hour" timestamptz NOT NULL,
        "provider" "provider_name" NOT NULL,
        "country" character(2),
        "agent_id" uuid,
        "calls" bigint NOT NULL,
        "answered" bigint NOT NULL,
        "billable_seconds" bigint NOT NULL,
        "spend_micros" bigint NOT NULL
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX "call_rollups_key" ON "call_rollups"
        ("organization_id", "hour", "provider", "country", "agent_id") NULLS NOT DISTINCT`);
    await queryRunner.query(`
      CREATE TABLE "call_rollup_deltas" (
        "organization_id" uuid NOT NULL,
        "hour" timestamptz NOT NULL,
        "provider" "provider_name" NOT NULL,
        "country" character(2),
        "agent_id" uuid,
        "calls" bigint NOT NULL,
        "answered" bigint NOT NULL,
        "billable_seconds" bigint NOT NULL,
        "spend_micros" bigint NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX "call_rollup_deltas_org_hour_idx" ON "call_rollup_deltas" ("organization_id", "hour")`,
    );

    // One function per kind of statement (a trigger with transition tables handles one event).
    // Each appends the statement's net change per roll-up key, and nothing for the statements that
    // change no figure (most of the worker's updates: ringing, in progress).
    await queryRunner.query(`
      CREATE FUNCTION "call_rollups_after_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO call_rollup_deltas
        SELECT organization_id, date_trunc('hour', created_at, 'UTC'), provider, country, agent_id,
               count(*), count(answered_at), coalesce(sum(billable_seconds), 0), coalesce(sum(cost_micros), 0)
          FROM new_calls
         GROUP BY 1, 2, 3, 4, 5;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION "call_rollups_after_update"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO call_rollup_deltas
        SELECT organization_id, date_trunc('hour', created_at, 'UTC'), provider, country, agent_id,
               sum(sign), sum(sign * (answered_at IS NOT NULL)::int),
               sum(sign * coalesce(billable_seconds, 0)), sum(sign * coalesce(cost_micros, 0))
          FROM (
            SELECT -1 AS sign, o.organization_id, o.created_at, o.provider, o.country, o.agent_id,
                   o.answered_at, o.billable_seconds, o.cost_micros
              FROM old_calls o
            UNION ALL
            SELECT 1, n.organization_id, n.created_at, n.provider, n.country, n.agent_id,
                   n.answered_at, n.billable_seconds, n.cost_micros
              FROM new_calls n
          ) AS change
         GROUP BY 1, 2, 3, 4, 5
        HAVING sum(sign) <> 0 OR sum(sign * (answered_at IS NOT NULL)::int) <> 0
            OR sum(sign * coalesce(billable_seconds, 0)) <> 0 OR sum(sign * coalesce(cost_micros, 0)) <> 0;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION "call_rollups_after_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- An organization's deletion cascades to its calls and its roll-ups alike: nothing to append.
        INSERT INTO call_rollup_deltas
        SELECT o.organization_id, date_trunc('hour', o.created_at, 'UTC'), o.provider, o.country, o.agent_id,
               -count(*), -count(o.answered_at), -coalesce(sum(o.billable_seconds), 0), -coalesce(sum(o.cost_micros), 0)
          FROM old_calls o
         WHERE EXISTS (SELECT 1 FROM organizations WHERE id = o.organization_id)
         GROUP BY 1, 2, 3, 4, 5;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION "call_rollups_after_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM call_rollup_deltas;
        DELETE FROM call_rollups;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "calls_rollups_insert" AFTER INSERT ON "calls"
        REFERENCING NEW TABLE AS new_calls FOR EACH STATEMENT EXECUTE FUNCTION call_rollups_after_insert()`);
    await queryRunner.query(`
      CREATE TRIGGER "calls_rollups_update" AFTER UPDATE ON "calls"
        REFERENCING OLD TABLE AS old_calls NEW TABLE AS new_calls FOR EACH STATEMENT EXECUTE FUNCTION call_rollups_after_update()`);
    await queryRunner.query(`
      CREATE TRIGGER "calls_rollups_delete" AFTER DELETE ON "calls"
        REFERENCING OLD TABLE AS old_calls FOR EACH STATEMENT EXECUTE FUNCTION call_rollups_after_delete()`);
    await queryRunner.query(`
      CREATE TRIGGER "calls_rollups_truncate" AFTER TRUNCATE ON "calls"
        FOR EACH STATEMENT EXECUTE FUNCTION call_rollups_after_truncate()`);

    // Folds the deltas committed so far into call_rollups (deltas committed meanwhile stay for the
    // next run: this statement does not see them). Keys in order, so two runs cannot deadlock.
    await queryRunner.query(`
      CREATE FUNCTION "compact_call_rollups"() RETURNS bigint LANGUAGE sql AS $$
        WITH folded AS (
          DELETE FROM call_rollup_deltas RETURNING *
        ), summed AS (
          SELECT organization_id, hour, provider, country, agent_id, sum(calls) AS calls, sum(answered) AS answered,
                 sum(billable_seconds) AS billable_seconds, sum(spend_micros) AS spend_micros, count(*) AS deltas
            FROM folded
           WHERE EXISTS (SELECT 1 FROM organizations WHERE id = folded.organization_id)
           GROUP BY 1, 2, 3, 4, 5
        ), upserted AS (
          INSERT INTO call_rollups AS r
          SELECT organization_id, hour, provider, country, agent_id, calls, answered, billable_seconds, spend_micros
            FROM summed
           ORDER BY 1, 2, 3, 4, 5
          ON CONFLICT (organization_id, hour, provider, country, agent_id) DO UPDATE
            SET calls = r.calls + excluded.calls, answered = r.answered + excluded.answered,
                billable_seconds = r.billable_seconds + excluded.billable_seconds,
                spend_micros = r.spend_micros + excluded.spend_micros
        )
        SELECT coalesce(sum(deltas), 0)::bigint FROM summed
      $$`);

    // Backfill: the calls that exist now, counted once.
    await queryRunner.query(`
      INSERT INTO call_rollups
      SELECT organization_id, date_trunc('hour', created_at, 'UTC'), provider, country, agent_id,
             count(*), count(answered_at), coalesce(sum(billable_seconds), 0), coalesce(sum(cost_micros), 0)
        FROM calls
       GROUP BY 1, 2, 3, 4, 5`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "calls_rollups_truncate" ON "calls"`);
    await queryRunner.query(`DROP TRIGGER "calls_rollups_delete" ON "calls"`);
    await queryRunner.query(`DROP TRIGGER "calls_rollups_update" ON "calls"`);
    await queryRunner.query(`DROP TRIGGER "calls_rollups_insert" ON "calls"`);
    await queryRunner.query(`DROP FUNCTION "compact_call_rollups"()`);
    await queryRunner.query(`DROP FUNCTION "call_rollups_after_truncate"()`);
    await queryRunner.query(`DROP FUNCTION "call_rollups_after_delete"()`);
    await queryRunner.query(`DROP FUNCTION "call_rollups_after_update"()`);
    await queryRunner.query(`DROP FUNCTION "call_rollups_after_insert"()`);
    await queryRunner.query(`DROP TABLE "call_rollup_deltas"`);
    await queryRunner.query(`DROP TABLE "call_rollups"`);
    await queryRunner.query(`DROP INDEX "public"."contacts_phone_trgm_idx"`);
    await queryRunner.query(`DROP INDEX "public"."contacts_company_trgm_idx"`);
    await queryRunner.query(`DROP INDEX "public"."contacts_sort_name_trgm_idx"`);
    await queryRunner.query(`DROP TRIGGER "calls_search_numbers" ON "calls"`);
    await queryRunner.query(`DROP TRIGGER "calls_search_insert" ON "calls"`);
    await queryRunner.query(`DROP FUNCTION "call_search_after_numbers_change"()`);
    await queryRunner.query(`DROP FUNCTION "call_search_after_insert"()`);
    await queryRunner.query(`DROP TABLE "call_search"`);
    await queryRunner.query(`DROP INDEX "public"."calls_org_status_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."calls_org_provider_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."calls_org_country_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."calls_org_direction_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."calls_org_contact_created_idx"`);
    await queryRunner.query(`CREATE INDEX "calls_org_status_idx" ON "calls" USING btree ("organization_id", "status") `);
  }
}
