import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a provider learned after a call (#16): its recording, transcript, summary, extracted data,
 * who hung up, and when the call became final. One row per call, written when its artifacts
 * arrive (once, as late enrichment) and by the recording copy job; never by the worker's hot
 * UPDATE of calls, so the transcript's full-text GIN index costs nothing to the pipeline's
 * updates (see docs/benchmarks.md on why `call_search` exists). Not a TypeORM entity: written and
 * read with SQL (CallOutcomesService).
 *
 * The provider's recording URL (`recording_provider_url`) stays in this table: no API answer
 * carries it; the console gets a Switchboard URL to the stored copy.
 */
export class CallOutcomes1796200000000 implements MigrationInterface {
  name = 'CallOutcomes1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "call_outcomes" (
        "call_id" uuid PRIMARY KEY REFERENCES "calls"("id") ON DELETE CASCADE,
        "organization_id" uuid NOT NULL,
        "transcript" jsonb,
        "summary" text,
        "extracted_data" jsonb,
        "hangup_by" character varying(64),
        "search" tsvector,
        "finalized_at" timestamptz,
        "final_due_at" timestamptz,
        "recording_status" character varying(16)
          CHECK ("recording_status" IN ('pending', 'stored', 'failed')),
        "recording_provider_url" text,
        "recording_provider_id" character varying(64),
        "recording_storage_key" character varying(300),
        "recording_content_type" character varying(100),
        "recording_duration_seconds" integer,
        "recording_size_bytes" bigint,
        "recording_attempts" integer NOT NULL DEFAULT 0,
        "recording_last_error" character varying(2000),
        "recording_stored_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    // Words said on calls: `GET /api/calls?q=` (websearch_to_tsquery over 'simple', no stemming:
    // transcripts are in many languages).
    await queryRunner.query(
      `CREATE INDEX "call_outcomes_search_idx" ON "call_outcomes" USING gin ("search")`,
    );
    // Ended calls still waiting for their provider's final word: reconciliation asks once due.
    await queryRunner.query(
      `CREATE INDEX "call_outcomes_final_due_idx" ON "call_outcomes" ("final_due_at") WHERE "finalized_at" IS NULL`,
    );
    // Recordings still to copy (a sweep re-enqueues those whose job was lost).
    await queryRunner.query(
      `CREATE INDEX "call_outcomes_recording_pending_idx" ON "call_outcomes" ("updated_at") WHERE "recording_status" = 'pending'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "call_outcomes"`);
  }
}
