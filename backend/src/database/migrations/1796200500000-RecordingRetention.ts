import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recording retention (RECORDING_RETENTION_DAYS): the worker deletes stored recordings older than
 * the period and marks them `expired`, with when and after how many days. The partial index is
 * the retention job's read (stored recordings by age).
 */
export class RecordingRetention1796200500000 implements MigrationInterface {
  name = 'RecordingRetention1796200500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "call_outcomes" DROP CONSTRAINT "call_outcomes_recording_status_check"`,
    );
    await queryRunner.query(`
      ALTER TABLE "call_outcomes" ADD CONSTRAINT "call_outcomes_recording_status_check"
        CHECK ("recording_status" IN ('pending', 'stored', 'failed', 'expired'))`);
    await queryRunner.query(`ALTER TABLE "call_outcomes" ADD "recording_expired_at" timestamptz`);
    await queryRunner.query(`ALTER TABLE "call_outcomes" ADD "recording_retention_days" integer`);
    await queryRunner.query(
      `CREATE INDEX "call_outcomes_recording_stored_idx" ON "call_outcomes" ("recording_stored_at") WHERE "recording_status" = 'stored'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "call_outcomes_recording_stored_idx"`);
    await queryRunner.query(`ALTER TABLE "call_outcomes" DROP COLUMN "recording_retention_days"`);
    await queryRunner.query(`ALTER TABLE "call_outcomes" DROP COLUMN "recording_expired_at"`);
    await queryRunner.query(
      `UPDATE "call_outcomes" SET "recording_status" = 'failed' WHERE "recording_status" = 'expired'`,
    );
    await queryRunner.query(
      `ALTER TABLE "call_outcomes" DROP CONSTRAINT "call_outcomes_recording_status_check"`,
    );
    await queryRunner.query(`
      ALTER TABLE "call_outcomes" ADD CONSTRAINT "call_outcomes_recording_status_check"
        CHECK ("recording_status" IN ('pending', 'stored', 'failed'))`);
  }
}
