import { DataSource } from 'typeorm';
import { Organization } from '../modules/auth/entities/organization.entity';
import { User } from '../modules/auth/entities/user.entity';
import { hashPassword } from '../modules/auth/password';
import { installDefaultRateDeck } from '../modules/billing/rates.service';
import { LedgerService } from '../modules/wallet/ledger.service';
import { CallerId } from '../modules/calls/entities/caller-id.entity';
import { Contact } from '../modules/contacts/entities/contact.entity';

export const DEMO_CREDENTIALS = [
  { email: 'admin@demo.test', password: 'switchboard-admin', name: 'Ada Admin', role: 'owner' },
  { email: 'agent@demo.test', password: 'switchboard-agent', name: 'Alan Agent', role: 'agent' },
  {
    email: 'operator@demo.test',
    password: 'switchboard-operator',
    name: 'Olga Operator',
    role: 'operator',
  },
] as const;

/** Sample contacts of the demo organization (fictional 555-01xx numbers). */
const DEMO_CONTACTS = [
  {
    name: 'Asha Rao',
    phone: '+14155550100',
    country: 'US',
    company: 'Northwind Traders',
    email: 'asha@northwind.example',
    tags: ['customer', 'vip'],
  },
  {
    name: 'Ben Carter',
    phone: '+14155550101',
    country: 'US',
    company: 'Contoso Ltd',
    email: 'ben@contoso.example',
    tags: ['lead'],
  },
  {
    name: 'Chloé Martin',
    phone: '+33142685300',
    country: 'FR',
    company: 'Fabrikam SA',
    email: null,
    tags: ['customer'],
  },
  {
    name: 'Dev Patel',
    phone: '+919812300100',
    country: 'IN',
    company: 'Tailspin Toys',
    email: 'dev@tailspin.example',
    tags: ['lead', 'callback'],
  },
  {
    name: 'Emma Schmidt',
    phone: '+4930901820',
    country: 'DE',
    company: 'Adventure Works',
    email: null,
    tags: [],
  },
];

/**
 * Seeds the demo organization when the database has no organization yet.
 * Returns a description of what was created, or null when there was data already.
 */
export async function seedDevelopmentData(dataSource: DataSource): Promise<string | null> {
  return dataSource.transaction(async (manager) => {
    // Serialize concurrent seeders (api started twice): the lock lasts until commit.
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['switchboard-seed']);
    const operator = DEMO_CREDENTIALS.find((demo) => demo.role === 'operator')!;
    // The operator is added to development databases seeded before operators existed, too.
    const addedOperator = !(await manager.existsBy(User, { email: operator.email }));
    if (addedOperator) {
      await manager.insert(User, {
        organizationId: null,
        email: operator.email,
        name: operator.name,
        role: operator.role,
        passwordHash: await hashPassword(operator.password),
      });
    }
    if ((await manager.count(Organization)) > 0)
      return addedOperator
        ? `Added the platform operator: ${operator.email} / ${operator.password}`
        : null;

    const organization = await manager.save(
      manager.create(Organization, { name: 'Demo Co', defaultCountry: 'US', currency: 'USD' }),
    );
    for (const demo of DEMO_CREDENTIALS) {
      if (demo.role === 'operator') continue;
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
    await manager.insert(CallerId, {
      organizationId: organization.id,
      number: '+14155550142',
      label: 'San Francisco office',
    });
    await manager.insert(
      Contact,
      DEMO_CONTACTS.map((contact) => ({
        ...contact,
        organizationId: organization.id,
        sortName: contact.name.toLowerCase(),
      })),
    );
    return [
      'Seeded organization "Demo Co" with a 25.00 USD wallet and the sample rate deck. Sign in with:',
      ...DEMO_CREDENTIALS.map(
        (demo) => `  ${demo.role.padEnd(6)} ${demo.email} / ${demo.password}`,
      ),
    ].join('\n');
  });
}
