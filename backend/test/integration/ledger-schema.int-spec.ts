import { randomUUID } from 'node:crypto';
import { DataSource, QueryFailedError } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { dropDatabase } from '../../src/database/ensure-database';
import { LedgerService } from '../../src/modules/wallet/ledger.service';
import { runDatabaseCli } from '../support/database-cli';
import { createOrganization } from '../support/test-app';

/** The PostgreSQL error a statement failed with: its SQLSTATE and the constraint it broke. */
async function failure(statement: Promise<unknown>): Promise<{ code: string; constraint: string }> {
  const error = await statement.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(QueryFailedError);
  const driverError = (error as QueryFailedError).driverError as unknown as {
    code: string;
    constraint: string;
  };
  return { code: driverError.code, constraint: driverError.constraint };
}

describe('ledger schema (real PostgreSQL, real migrations)', () => {
  describe('a database migrated from empty', () => {
    const databaseUrl = new URL(process.env.DATABASE_URL!);
    databaseUrl.pathname = `${databaseUrl.pathname}_ledger`;
    let dataSource: DataSource;

    beforeAll(async () => {
      runDatabaseCli(['run'], { ...process.env, DATABASE_URL: databaseUrl.toString() });
      dataSource = await new DataSource(dataSourceOptions(databaseUrl.toString())).initialize();
    });
    afterAll(async () => {
      await dataSource?.destroy();
      await dropDatabase(databaseUrl.toString());
    });

    it('has the platform accounts before anything was posted', async () => {
      const rows: { kind: string; currency: string }[] = await dataSource.query(
        `SELECT kind, currency FROM ledger_accounts WHERE organization_id IS NULL ORDER BY kind`,
      );
      expect(rows).toEqual([
        { kind: 'platform_revenue', currency: 'USD' },
        { kind: 'topup_funding', currency: 'USD' },
      ]);
      const [{ count }]: { count: string }[] = await dataSource.query(
        'SELECT count(*) FROM ledger_transactions',
      );
      expect(count).toBe('0');
    });

    it('gives the ledger the platform accounts the migration made, and refuses a currency without them', async () => {
      const ledger = new LedgerService();
      const [funding]: { id: string }[] = await dataSource.query(
        `SELECT id FROM ledger_accounts WHERE organization_id IS NULL AND kind = 'topup_funding'`,
      );
      await expect(ledger.platformAccount(dataSource.manager, 'topup_funding')).resolves.toBe(
        funding.id,
      );
      await expect(
        ledger.platformAccount(dataSource.manager, 'topup_funding', 'EUR'),
      ).rejects.toThrow(
        'the platform has no topup_funding account in EUR: a migration must create it',
      );
      const [{ count }]: { count: string }[] = await dataSource.query(
        'SELECT count(*) FROM ledger_accounts WHERE organization_id IS NULL',
      );
      expect(count).toBe('2');
    });
  });

  describe('foreign keys of ledger entries', () => {
    let dataSource: DataSource;
    const ledger = new LedgerService();
    let organizationId: string;
    let walletAccountId: string;
    let fundingAccountId: string;
    let topupId: string;

    beforeAll(async () => {
      dataSource = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!)).initialize();
      ({
        organization: { id: organizationId },
      } = await createOrganization(dataSource, ['owner'], { fundMicros: 1_000_000n }));
      const [row]: { wallet_account_id: string }[] = await dataSource.query(
        'SELECT wallet_account_id FROM wallets WHERE organization_id = $1',
        [organizationId],
      );
      walletAccountId = row.wallet_account_id;
      fundingAccountId = await ledger.platformAccount(dataSource.manager, 'topup_funding');
      const [topup]: { id: string }[] = await dataSource.query(
        `SELECT id FROM ledger_transactions WHERE organization_id = $1 AND kind = 'topup'`,
        [organizationId],
      );
      topupId = topup.id;
    });
    afterAll(() => dataSource.destroy());

    it('refuses an entry of a transaction that does not exist', async () => {
      await expect(
        failure(
          dataSource.query(
            'INSERT INTO ledger_entries (transaction_id, account_id, amount_micros) VALUES ($1, $2, 1)',
            [randomUUID(), walletAccountId],
          ),
        ),
      ).resolves.toEqual({ code: '23503', constraint: 'ledger_entries_transaction_fk' });
    });

    it('refuses an entry on an account that does not exist', async () => {
      await expect(
        failure(
          dataSource.query(
            'INSERT INTO ledger_entries (transaction_id, account_id, amount_micros) VALUES ($1, $2, 1)',
            [topupId, randomUUID()],
          ),
        ),
      ).resolves.toEqual({ code: '23503', constraint: 'ledger_entries_account_fk' });
    });

    it('refuses to delete a transaction or an account that has entries', async () => {
      await expect(
        failure(dataSource.query('DELETE FROM ledger_transactions WHERE id = $1', [topupId])),
      ).resolves.toEqual({ code: '23503', constraint: 'ledger_entries_transaction_fk' });
      await expect(
        failure(dataSource.query('DELETE FROM ledger_accounts WHERE id = $1', [fundingAccountId])),
      ).resolves.toEqual({ code: '23503', constraint: 'ledger_entries_account_fk' });
    });

    it('still posts a transaction and its entries in one statement', async () => {
      const posted = await dataSource.transaction(async (manager) =>
        ledger.post(manager, {
          organizationId,
          kind: 'topup',
          idempotencyKey: `topup:${randomUUID()}`,
          legs: [
            { accountId: fundingAccountId, amountMicros: -5n },
            { accountId: walletAccountId, amountMicros: 5n },
          ],
        }),
      );
      const entries: { amount_micros: string }[] = await dataSource.query(
        'SELECT amount_micros FROM ledger_entries WHERE transaction_id = $1 ORDER BY amount_micros',
        [posted.id],
      );
      expect(entries.map((entry) => entry.amount_micros)).toEqual(['-5', '5']);
    });
  });
});
