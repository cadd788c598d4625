import { MigrationInterface, QueryRunner } from 'typeorm';

export class LedgerForeignKeysAndPlatformAccounts1796183364837 implements MigrationInterface {
  name = 'LedgerForeignKeysAndPlatformAccounts1796183364837';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The platform's own accounts (every wallet is in USD), so no posting has to create one.
    await queryRunner.query(
      `INSERT INTO "ledger_accounts" ("organization_id", "kind", "currency") VALUES (NULL, 'platform_revenue', 'USD'), (NULL, 'topup_funding', 'USD') ON CONFLICT DO NOTHING`,
    );
    await queryRunner.query(`ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_transaction_fk" FOREIGN KEY ("transaction_id") REFERENCES "ledger_transactions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_account_fk" FOREIGN KEY ("account_id") REFERENCES "ledger_accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  // The platform accounts stay: entries may point at them (before this migration, postings made them).
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_account_fk"`);
    await queryRunner.query(`ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_transaction_fk"`);
  }
}
