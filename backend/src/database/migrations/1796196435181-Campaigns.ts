import { MigrationInterface, QueryRunner } from 'typeorm';

export class Campaigns1796196435181 implements MigrationInterface {
  name = 'Campaigns1796196435181';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "campaigns" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "provider" character varying(20) NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'draft', "pause_reason" character varying(20), "audience" jsonb NOT NULL, "caller_id" character varying(32), "bolna_agent_id" character varying(100), "schedule" jsonb NOT NULL DEFAULT '{}', "max_concurrent" integer NOT NULL, "per_minute" integer, "retry_on" text array NOT NULL DEFAULT '{}', "max_attempts" integer NOT NULL DEFAULT '1', "retry_delay_seconds" integer NOT NULL DEFAULT '0', "zone_keys" text array NOT NULL DEFAULT '{}', "created_by" uuid, "started_at" TIMESTAMP WITH TIME ZONE, "ended_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_831e3fcd4fc45b4e4c3f57a9ee4" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "campaigns_status_idx" ON "campaigns"  ("status") `);
    await queryRunner.query(`CREATE INDEX "campaigns_org_created_idx" ON "campaigns"  ("organization_id", "created_at", "id") `);
    await queryRunner.query(`CREATE TABLE "campaign_contacts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "campaign_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "seq" integer NOT NULL, "name" character varying(200) NOT NULL, "phone" character varying(32) NOT NULL, "country" character(2), "zone_key" character varying(80) NOT NULL, "variables" jsonb NOT NULL DEFAULT '{}', "state" character varying(20) NOT NULL DEFAULT 'pending', "outcome" character varying(20), "skip_reason" character varying(30), "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_call_id" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ea6d58d76318d758f0f386a1008" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "campaign_contacts_due_idx" ON "campaign_contacts"  ("campaign_id", "state", "next_attempt_at", "seq") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "campaign_contacts_campaign_seq_key" ON "campaign_contacts"  ("campaign_id", "seq") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "campaign_contacts_campaign_contact_key" ON "campaign_contacts"  ("campaign_id", "contact_id") `);
    await queryRunner.query(`CREATE TABLE "campaign_attempts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "campaign_id" uuid NOT NULL, "campaign_contact_id" uuid NOT NULL, "attempt" integer NOT NULL, "state" character varying(20) NOT NULL DEFAULT 'queued', "call_id" uuid, "status" character varying(20), "cost_micros" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ended_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_c13c50b103a8ae4306069b9f18b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "campaign_attempts_call_key" ON "campaign_attempts"  ("call_id") `);
    await queryRunner.query(`CREATE INDEX "campaign_attempts_campaign_created_idx" ON "campaign_attempts"  ("campaign_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "campaign_attempts_campaign_state_idx" ON "campaign_attempts"  ("campaign_id", "state") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "campaign_attempts_contact_attempt_key" ON "campaign_attempts"  ("campaign_contact_id", "attempt") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."campaign_attempts_contact_attempt_key"`);
    await queryRunner.query(`DROP INDEX "public"."campaign_attempts_campaign_state_idx"`);
    await queryRunner.query(`DROP INDEX "public"."campaign_attempts_campaign_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."campaign_attempts_call_key"`);
    await queryRunner.query(`DROP TABLE "campaign_attempts"`);
    await queryRunner.query(`DROP INDEX "public"."campaign_contacts_campaign_contact_key"`);
    await queryRunner.query(`DROP INDEX "public"."campaign_contacts_campaign_seq_key"`);
    await queryRunner.query(`DROP INDEX "public"."campaign_contacts_due_idx"`);
    await queryRunner.query(`DROP TABLE "campaign_contacts"`);
    await queryRunner.query(`DROP INDEX "public"."campaigns_org_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."campaigns_status_idx"`);
    await queryRunner.query(`DROP TABLE "campaigns"`);
  }
}
