import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { RealtimePublisher } from '../../src/modules/realtime/realtime-publisher';
import { Wallet } from '../../src/modules/wallet/entities/wallet.entity';
import {
  DuplicateTransactionError,
  InsufficientFundsError,
  LedgerService,
} from '../../src/modules/wallet/ledger.service';
import { WalletService } from '../../src/modules/wallet/wallet.service';
import { createOrganization } from '../support/test-app';

type Command =
  | { kind: 'topup'; amount: bigint }
  | { kind: 'hold'; amount: bigint }
  | { kind: 'settle'; pick: number; cost: bigint }
  | { kind: 'refund'; amount: bigint };

const amount = fc.bigInt({ min: 1n, max: 50_000_000n });
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('topup' as const), amount }),
  fc.record({ kind: fc.constant('hold' as const), amount }),
  fc.record({
    kind: fc.constant('settle' as const),
    pick: fc.nat(),
    cost: fc.bigInt({ min: 0n, max: 80_000_000n }),
  }),
  fc.record({ kind: fc.constant('refund' as const), amount }),
);

describe('ledger invariants under random sequences (fast-check, real PostgreSQL)', () => {
  let dataSource: DataSource;
  const ledger = new LedgerService();
  let wallets: WalletService;

  beforeAll(async () => {
    dataSource = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!)).initialize();
    // No sockets here: what the ledger does is the subject, not the broadcast.
    const noBroadcast = { publish: () => undefined } as unknown as RealtimePublisher;
    wallets = new WalletService(dataSource, ledger, noBroadcast);
  });
  afterAll(() => dataSource.destroy());

  async function run(organizationId: string, commands: Command[]) {
    const model = { balance: 0n, held: 0n };
    const openHolds: { callId: string; amount: bigint }[] = [];
    let settledAgain: { callId: string; holdMicros: bigint; costMicros: bigint } | undefined;
    await dataSource.transaction((manager) => ledger.ensureWallet(manager, organizationId));
    for (const step of commands) {
      await dataSource
        .transaction(async (manager) => {
          const wallet = await ledger.ensureWallet(manager, organizationId);
          const funding = await ledger.platformAccount(manager, 'topup_funding');
          const revenue = await ledger.platformAccount(manager, 'platform_revenue');
          switch (step.kind) {
            case 'topup':
            case 'refund': {
              const source = step.kind === 'topup' ? funding : revenue;
              await ledger.post(manager, {
                organizationId,
                kind: step.kind,
                idempotencyKey: `${step.kind}:${randomUUID()}`,
                legs: [
                  { accountId: source, amountMicros: -step.amount },
                  { accountId: wallet.walletAccountId, amountMicros: step.amount },
                ],
              });
              model.balance += step.amount;
              break;
            }
            case 'hold': {
              const callId = randomUUID();
              const available = model.balance - model.held;
              if (step.amount > available) {
                await expect(
                  wallets.holdForCall(manager, organizationId, callId, step.amount),
                ).rejects.toBeInstanceOf(InsufficientFundsError);
                throw new RollbackForTest();
              }
              await wallets.holdForCall(manager, organizationId, callId, step.amount);
              openHolds.push({ callId, amount: step.amount });
              model.held += step.amount;
              break;
            }
            case 'settle': {
              if (openHolds.length === 0) return;
              const [hold] = openHolds.splice(step.pick % openHolds.length, 1);
              const settled = await wallets.settleCall(manager, {
                organizationId,
                callId: hold.callId,
                holdMicros: hold.amount,
                costMicros: step.cost,
              });
              const captured = step.cost < hold.amount ? step.cost : hold.amount;
              const availableAfterRelease = model.balance - model.held + (hold.amount - captured);
              const extra = step.cost - captured;
              const charged =
                captured + (extra < availableAfterRelease ? extra : availableAfterRelease);
              expect(settled.chargedMicros).toBe(charged);
              expect(settled.shortfallMicros).toBe(step.cost - charged);
              model.held -= hold.amount;
              model.balance -= charged;
              settledAgain = {
                callId: hold.callId,
                holdMicros: hold.amount,
                costMicros: step.cost,
              };
              break;
            }
          }
        })
        .catch((error) => {
          if (!(error instanceof RollbackForTest)) throw error;
        });
      if (settledAgain) {
        // Settling the same call again (a redelivered terminal webhook) cannot move money twice.
        const again = settledAgain;
        settledAgain = undefined;
        await expect(
          dataSource.transaction((manager) =>
            wallets.settleCall(manager, { organizationId, ...again }),
          ),
        ).rejects.toBeInstanceOf(DuplicateTransactionError);
      }
      await assertInvariants(organizationId, model);
    }
  }

  async function assertInvariants(
    organizationId: string,
    model: { balance: bigint; held: bigint },
  ) {
    const wallet = await dataSource.getRepository(Wallet).findOneByOrFail({ organizationId });
    expect({ balance: wallet.balanceMicros, held: wallet.heldMicros }).toEqual(model);
    expect(wallet.balanceMicros - wallet.heldMicros >= 0n).toBe(true);
    const [sums] = await dataSource.query(
      `SELECT coalesce(sum(e.amount_micros) FILTER (WHERE e.account_id IN ($1, $2)), 0)::text AS balance,
              coalesce(sum(e.amount_micros) FILTER (WHERE e.account_id = $2), 0)::text AS held
         FROM ledger_entries e WHERE e.account_id IN ($1, $2)`,
      [wallet.walletAccountId, wallet.holdsAccountId],
    );
    expect({ balance: BigInt(sums.balance), held: BigInt(sums.held) }).toEqual(model);
    const unbalanced = await dataSource.query(
      `SELECT e.transaction_id FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
        WHERE t.organization_id = $1 GROUP BY e.transaction_id HAVING sum(e.amount_micros) <> 0`,
      [organizationId],
    );
    expect(unbalanced).toEqual([]);
  }

  it('keeps entries balanced, the cached balance equal to the entries, and available never below zero', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 25 }), async (commands) => {
        const { organization } = await createOrganization(dataSource, ['owner'], {
          fundMicros: 0n,
        });
        await run(organization.id, commands);
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});

class RollbackForTest extends Error {}
