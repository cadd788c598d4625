import { MigrationInterface, QueryRunner } from 'typeorm';

export class Payments1796198301737 implements MigrationInterface {
  name = 'Payments1796198301737';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."payment_provider" AS ENUM('stripe', 'simulator')`);
    await queryRunner.query(`CREATE TYPE "public"."payment_status" AS ENUM('pending', 'succeeded', 'failed', 'expired')`);
    await queryRunner.query(`CREATE TABLE "payments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "provider" "public"."payment_provider" NOT NULL, "status" "public"."payment_status" NOT NULL DEFAULT 'pending', "amount_micros" bigint NOT NULL, "currency" character(3) NOT NULL DEFAULT 'USD', "idempotency_key" character varying(200) NOT NULL, "provider_reference" character varying(255), "checkout_url" text, "created_by" uuid, "ledger_transaction_id" uuid, "failure_reason" text, "completed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_197ab7af18c93fbb0c9b28b4a59" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "payments_org_created_idx" ON "payments"  ("organization_id", "created_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "payments_provider_reference_key" ON "payments"  ("provider", "provider_reference") WHERE "provider_reference" IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "payments_org_idempotency_key" ON "payments"  ("organization_id", "idempotency_key") `);
    // Payment providers' webhooks share webhook_events: its provider column gets its own enum (call
    // providers' provider_name stays as it is for calls and call events).
    await queryRunner.query(`CREATE TYPE "public"."webhook_provider" AS ENUM('twilio', 'exotel', 'bolna', 'simulator', 'stripe', 'payment_simulator')`);
    await queryRunner.query(`ALTER TABLE "webhook_events" ALTER COLUMN "provider" TYPE "public"."webhook_provider" USING "provider"::"text"::"public"."webhook_provider"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "webhook_events" WHERE "provider" IN ('stripe', 'payment_simulator')`);
    await queryRunner.query(`ALTER TABLE "webhook_events" ALTER COLUMN "provider" TYPE "public"."provider_name" USING "provider"::"text"::"public"."provider_name"`);
    await queryRunner.query(`DROP TYPE "public"."webhook_provider"`);
    await queryRunner.query(`DROP INDEX "public"."payments_org_idempotency_key"`);
    await queryRunner.query(`DROP INDEX "public"."payments_provider_reference_key"`);
    await queryRunner.query(`DROP INDEX "public"."payments_org_created_idx"`);
    await queryRunner.query(`DROP TABLE "payments"`);
    await queryRunner.query(`DROP TYPE "public"."payment_status"`);
    await queryRunner.query(`DROP TYPE "public"."payment_provider"`);
  }
}
