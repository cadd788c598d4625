import { MigrationInterface, QueryRunner } from 'typeorm';

export class CallsAndWebhooks1795296702140 implements MigrationInterface {
  name = 'CallsAndWebhooks1795296702140';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."provider_name" AS ENUM('twilio', 'exotel', 'bolna', 'simulator')`);
    await queryRunner.query(`CREATE TYPE "public"."call_direction" AS ENUM('outbound', 'inbound')`);
    await queryRunner.query(`CREATE TYPE "public"."call_status" AS ENUM('initiated', 'ringing', 'in_progress', 'completed', 'busy', 'no_answer', 'failed', 'cancelled')`);
    await queryRunner.query(`CREATE TABLE "calls" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "agent_id" uuid, "contact_id" uuid, "provider" "public"."provider_name" NOT NULL, "provider_call_id" character varying(128), "parent_provider_call_id" character varying(128), "direction" "public"."call_direction" NOT NULL DEFAULT 'outbound', "from_number" character varying(32), "to_number" character varying(32) NOT NULL, "country" character(2), "status" "public"."call_status" NOT NULL DEFAULT 'initiated', "raw_status" character varying(64), "last_sequence" integer, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "status_updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "answered_at" TIMESTAMP WITH TIME ZONE, "ended_at" TIMESTAMP WITH TIME ZONE, "time_limit_seconds" integer, "billable_seconds" integer, "cost_micros" bigint, "provider_cost_micros" bigint, "provider_currency" character(3), "recording_url" text, "hangup_reason" character varying(200), "metadata" jsonb NOT NULL DEFAULT '{}', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d9171d91f8dd1a649659f1b6a20" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "calls_parent_provider_call_id_idx" ON "calls"  ("parent_provider_call_id") WHERE "parent_provider_call_id" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "calls_active_idx" ON "calls"  ("status_updated_at") WHERE "status" IN ('initiated', 'ringing', 'in_progress')`);
    await queryRunner.query(`CREATE UNIQUE INDEX "calls_provider_call_id_key" ON "calls"  ("provider", "provider_call_id") WHERE "provider_call_id" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "calls_org_status_idx" ON "calls"  ("organization_id", "status") `);
    await queryRunner.query(`CREATE INDEX "calls_org_agent_created_idx" ON "calls"  ("organization_id", "agent_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "calls_org_created_idx" ON "calls"  ("organization_id", "created_at", "id") `);
    await queryRunner.query(`CREATE TABLE "call_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "call_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "webhook_event_id" uuid, "provider" "public"."provider_name" NOT NULL, "raw_status" character varying(64) NOT NULL, "status" "public"."call_status", "applied" boolean NOT NULL, "outcome" character varying(64) NOT NULL, "sequence" integer, "facts" jsonb NOT NULL DEFAULT '{}', "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_ae7349495543762c8be7de28b7f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "call_events_webhook_event_idx" ON "call_events"  ("webhook_event_id") `);
    await queryRunner.query(`CREATE INDEX "call_events_call_idx" ON "call_events"  ("call_id", "occurred_at") `);
    await queryRunner.query(`CREATE TYPE "public"."webhook_event_source" AS ENUM('webhook', 'reconciliation')`);
    await queryRunner.query(`CREATE TYPE "public"."webhook_event_state" AS ENUM('received', 'processed', 'retrying', 'dead', 'rejected')`);
    await queryRunner.query(`CREATE TABLE "webhook_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "provider" "public"."provider_name" NOT NULL, "source" "public"."webhook_event_source" NOT NULL DEFAULT 'webhook', "dedupe_key" character varying(300) NOT NULL, "url" text NOT NULL, "headers" jsonb NOT NULL, "content_type" character varying(200), "raw_body" text NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "state" "public"."webhook_event_state" NOT NULL DEFAULT 'received', "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "processed_at" TIMESTAMP WITH TIME ZONE, "organization_id" uuid, "call_id" uuid, CONSTRAINT "PK_4cba37e6a0acb5e1fc49c34ebfd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "webhook_events_org_idx" ON "webhook_events"  ("organization_id", "received_at") `);
    await queryRunner.query(`CREATE INDEX "webhook_events_pending_idx" ON "webhook_events"  ("received_at") WHERE "state" IN ('received', 'retrying')`);
    await queryRunner.query(`CREATE UNIQUE INDEX "webhook_events_provider_dedupe_key" ON "webhook_events"  ("provider", "dedupe_key") `);
    await queryRunner.query(`ALTER TABLE "calls" ADD CONSTRAINT "FK_71a193fe787f0f3c72395db3a50" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "calls" ADD CONSTRAINT "FK_41eb007cd2aa579cf99aa2341c9" FOREIGN KEY ("agent_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "call_events" ADD CONSTRAINT "FK_c4f8fb033e6fc8bb81ff892b41b" FOREIGN KEY ("call_id") REFERENCES "calls"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "call_events" DROP CONSTRAINT "FK_c4f8fb033e6fc8bb81ff892b41b"`);
    await queryRunner.query(`ALTER TABLE "calls" DROP CONSTRAINT "FK_41eb007cd2aa579cf99aa2341c9"`);
    await queryRunner.query(`ALTER TABLE "calls" DROP CONSTRAINT "FK_71a193fe787f0f3c72395db3a50"`);
    await queryRunner.query(`DROP INDEX "public"."webhook_events_provider_dedupe_key"`);
    await queryRunner.query(`DROP INDEX "public"."webhook_events_pending_idx"`);
    await queryRunner.query(`DROP INDEX "public"."webhook_events_org_idx"`);
    await queryRunner.query(`DROP TABLE "webhook_events"`);
    await queryRunner.query(`DROP TYPE "public"."webhook_event_state"`);
    await queryRunner.query(`DROP TYPE "public"."webhook_event_source"`);
    await queryRunner.query(`DROP INDEX "public"."call_events_call_idx"`);
    await queryRunner.query(`DROP INDEX "public"."call_events_webhook_event_idx"`);
    await queryRunner.query(`DROP TABLE "call_events"`);
    await queryRunner.query(`DROP INDEX "public"."calls_org_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."calls_org_agent_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."calls_org_status_idx"`);
    await queryRunner.query(`DROP INDEX "public"."calls_provider_call_id_key"`);
    await queryRunner.query(`DROP INDEX "public"."calls_active_idx"`);
    await queryRunner.query(`DROP INDEX "public"."calls_parent_provider_call_id_idx"`);
    await queryRunner.query(`DROP TABLE "calls"`);
    await queryRunner.query(`DROP TYPE "public"."call_status"`);
    await queryRunner.query(`DROP TYPE "public"."call_direction"`);
    await queryRunner.query(`DROP TYPE "public"."provider_name"`);
  }
}
