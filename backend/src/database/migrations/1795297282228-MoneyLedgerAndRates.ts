import { MigrationInterface, QueryRunner } from 'typeorm';

export class MoneyLedgerAndRates1795297282228 implements MigrationInterface {
  name = 'MoneyLedgerAndRates1795297282228';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "rates" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid, "prefix" character varying(15) NOT NULL, "description" character varying(120) NOT NULL, "currency" character(3) NOT NULL DEFAULT 'USD', "rate_per_minute_micros" bigint NOT NULL, "initial_increment" integer NOT NULL DEFAULT '60', "subsequent_increment" integer NOT NULL DEFAULT '60', "minimum_seconds" integer NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "rates_positive" CHECK ("rate_per_minute_micros" >= 0 AND "initial_increment" > 0 AND "subsequent_increment" > 0 AND "minimum_seconds" >= 0), CONSTRAINT "rates_prefix_digits" CHECK ("prefix" ~ '^[1-9][0-9]{0,14}$'), CONSTRAINT "PK_2c804ed4019b80ce48eedba5cec" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "rates_org_prefix_key" ON "rates"  ("organization_id", "prefix") WHERE "organization_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "rates_default_prefix_key" ON "rates"  ("prefix") WHERE "organization_id" IS NULL`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."ledger_account_kind" AS ENUM('wallet', 'holds', 'platform_revenue', 'topup_funding')`,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_accounts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid, "kind" "public"."ledger_account_kind" NOT NULL, "currency" character(3) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_62b34396dda564757cf123fff0e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ledger_accounts_platform_kind_key" ON "ledger_accounts"  ("kind", "currency") WHERE "organization_id" IS NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ledger_accounts_org_kind_key" ON "ledger_accounts"  ("organization_id", "kind") WHERE "organization_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_entries" ("id" BIGSERIAL NOT NULL, "transaction_id" uuid NOT NULL, "account_id" uuid NOT NULL, "amount_micros" bigint NOT NULL, CONSTRAINT "PK_6efcb84411d3f08b08450ae75d5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ledger_entries_account_idx" ON "ledger_entries"  ("account_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ledger_entries_transaction_idx" ON "ledger_entries"  ("transaction_id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."ledger_transaction_kind" AS ENUM('topup', 'hold', 'capture', 'release', 'call_charge', 'refund', 'adjustment')`,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_transactions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "kind" "public"."ledger_transaction_kind" NOT NULL, "idempotency_key" character varying(300) NOT NULL, "balance_change_micros" bigint NOT NULL, "held_change_micros" bigint NOT NULL, "balance_after_micros" bigint NOT NULL, "held_after_micros" bigint NOT NULL, "call_id" uuid, "reason" text, "request_hash" character varying(64), "created_by" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_633d103c9e415d615aacf9b1929" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ledger_transactions_call_idx" ON "ledger_transactions"  ("call_id") WHERE "call_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ledger_transactions_org_created_idx" ON "ledger_transactions"  ("organization_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ledger_transactions_idempotency_key" ON "ledger_transactions"  ("idempotency_key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "wallets" ("organization_id" uuid NOT NULL, "currency" character(3) NOT NULL, "wallet_account_id" uuid NOT NULL, "holds_account_id" uuid NOT NULL, "balance_micros" bigint NOT NULL DEFAULT '0', "held_micros" bigint NOT NULL DEFAULT '0', "low_balance_threshold_micros" bigint NOT NULL DEFAULT '5000000', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "wallets_held_not_negative" CHECK ("held_micros" >= 0), CONSTRAINT "wallets_available_not_negative" CHECK ("balance_micros" - "held_micros" >= 0), CONSTRAINT "PK_f499c61c6d6a0ac3f794d966edc" PRIMARY KEY ("organization_id"))`,
    );
    await queryRunner.query(`ALTER TABLE "calls" ADD "hold_micros" bigint`);
    await queryRunner.query(`ALTER TABLE "calls" ADD "rate_prefix" character varying(15)`);
    await queryRunner.query(`ALTER TABLE "calls" ADD "rate_per_minute_micros" bigint`);
    await queryRunner.query(`ALTER TABLE "calls" ADD "rate_initial_increment" integer`);
    await queryRunner.query(`ALTER TABLE "calls" ADD "rate_subsequent_increment" integer`);
    await queryRunner.query(`ALTER TABLE "calls" ADD "rate_minimum_seconds" integer`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "calls" DROP COLUMN "rate_minimum_seconds"`);
    await queryRunner.query(`ALTER TABLE "calls" DROP COLUMN "rate_subsequent_increment"`);
    await queryRunner.query(`ALTER TABLE "calls" DROP COLUMN "rate_initial_increment"`);
    await queryRunner.query(`ALTER TABLE "calls" DROP COLUMN "rate_per_minute_micros"`);
    await queryRunner.query(`ALTER TABLE "calls" DROP COLUMN "rate_prefix"`);
    await queryRunner.query(`ALTER TABLE "calls" DROP COLUMN "hold_micros"`);
    await queryRunner.query(`DROP TABLE "wallets"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_transactions_idempotency_key"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_transactions_org_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_transactions_call_idx"`);
    await queryRunner.query(`DROP TABLE "ledger_transactions"`);
    await queryRunner.query(`DROP TYPE "public"."ledger_transaction_kind"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_entries_transaction_idx"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_entries_account_idx"`);
    await queryRunner.query(`DROP TABLE "ledger_entries"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_accounts_org_kind_key"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_accounts_platform_kind_key"`);
    await queryRunner.query(`DROP TABLE "ledger_accounts"`);
    await queryRunner.query(`DROP TYPE "public"."ledger_account_kind"`);
    await queryRunner.query(`DROP INDEX "public"."rates_default_prefix_key"`);
    await queryRunner.query(`DROP INDEX "public"."rates_org_prefix_key"`);
    await queryRunner.query(`DROP TABLE "rates"`);
  }
}
