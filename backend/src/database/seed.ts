import { DataSource } from 'typeorm';
import { Organization } from '../modules/auth/entities/organization.entity';
import { User } from '../modules/auth/entities/user.entity';
import { hashPassword } from '../modules/auth/password';
import { installDefaultRateDeck } from '../modules/billing/rates.service';
import { LedgerService } from '../modules/wallet/ledger.service';

export const DEMO_CREDENTIALS = [
  { email: 'admin@demo.test', password: 'switchboard-admin', name: 'Ada Admin', role: 'owner' },
  { email: 'agent@demo.test', password: 'switchboard-agent', name: 'Alan Agent', role: 'agent' },
] as const;

/**
 * Seeds the demo organization when the database has no organization yet.
 * Returns a description of what was created, or null when there was data already.
 */
export async function seedDevelopmentData(dataSource: DataSource): Promise<string | null> {
  return dataSource.transaction(async (manager) => {
    // Serialize concurrent seeders (api started twice): the lock lasts until commit.
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['switchboard-seed']);
    if ((await manager.count(Organization)) > 0) return null;

    const organization = await manager.save(
      manager.create(Organization, { name: 'Demo Co', defaultCountry: 'US', currency: 'USD' }),
    );
    for (const demo of DEMO_CREDENTIALS) {
      await manager.save(
        manager.create(User, {
          organizationId: organization.id,
          email: demo.email,
          name: demo.name,
          role: demo.role,
          passwordHash: await hashPassword(demo.password),
        }),
      );
    }
    await installDefaultRateDeck(manager);
    // Demo money: 25.00 USD prepaid, so calls can be placed at once.
    const ledger = new LedgerService();
    const wallet = await ledger.ensureWallet(manager, organization.id);
    const funding = await ledger.platformAccount(manager, 'topup_funding');
    await ledger.post(manager, {
      organizationId: organization.id,
      kind: 'topup',
      idempotencyKey: `topup:${organization.id}:demo-seed`,
      reason: 'Demo credit (seed)',
      legs: [
        { accountId: funding, amountMicros: -25_000_000n },
        { accountId: wallet.walletAccountId, amountMicros: 25_000_000n },
      ],
    });
    return [
      'Seeded organization "Demo Co" with a 25.00 USD wallet and the sample rate deck. Sign in with:',
      ...DEMO_CREDENTIALS.map(
        (demo) => `  ${demo.role.padEnd(6)} ${demo.email} / ${demo.password}`,
      ),
    ].join('\n');
  });
}
