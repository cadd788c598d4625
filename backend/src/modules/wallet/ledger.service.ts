import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LedgerAccountKind } from './entities/ledger-account.entity';
import { LedgerTransaction, LedgerTransactionKind } from './entities/ledger-transaction.entity';
import { Wallet } from './entities/wallet.entity';
import { hydrate, queryPrepared, selectColumns } from '../../database/raw-rows';

/** The wallet cannot cover the movement: available (balance − held) would go below zero. */
export class InsufficientFundsError extends Error {
  override name = 'InsufficientFundsError';
}

/** The idempotency key was used before; the existing transaction is attached. */
export class DuplicateTransactionError extends Error {
  override name = 'DuplicateTransactionError';
  constructor(readonly existing: LedgerTransaction) {
    super(`transaction ${existing.idempotencyKey} already exists`);
  }
}

export interface PostingLeg {
  accountId: string;
  amountMicros: bigint;
}

export interface Posting {
  organizationId: string;
  kind: LedgerTransactionKind;
  idempotencyKey: string;
  legs: PostingLeg[];
  callId?: string | null;
  reason?: string | null;
  requestHash?: string | null;
  createdBy?: string | null;
}

/**
 * The double-entry ledger. Every method runs inside the caller's transaction (the EntityManager of
 * `dataSource.transaction()`), so money moves in the same commit as whatever caused it.
 */
@Injectable()
export class LedgerService {
  private readonly platformAccounts = new Map<string, string>();

  /** The organization's wallet, created with its accounts on first use. */
  async ensureWallet(
    manager: EntityManager,
    organizationId: string,
    currency = 'USD',
  ): Promise<Wallet> {
    const rows: Record<string, unknown>[] = await manager.query(
      'SELECT * FROM wallets WHERE organization_id = $1',
      [organizationId],
    );
    if (rows[0]) return hydrate(manager, Wallet, rows[0]);
    const walletAccount = await this.account(manager, organizationId, 'wallet', currency);
    const holdsAccount = await this.account(manager, organizationId, 'holds', currency);
    await manager
      .createQueryBuilder()
      .insert()
      .into(Wallet)
      .values({
        organizationId,
        currency,
        walletAccountId: walletAccount,
        holdsAccountId: holdsAccount,
      })
      .orIgnore()
      .execute();
    return manager.findOneByOrFail(Wallet, { organizationId });
  }

  /**
   * The platform's own account of a kind (revenue, top-up funding), cached once read. Migrations
   * create them; a currency without them is a deployment error, not something to create mid-posting.
   */
  async platformAccount(
    manager: EntityManager,
    kind: Exclude<LedgerAccountKind, 'wallet' | 'holds'>,
    currency = 'USD',
  ): Promise<string> {
    const cacheKey = `${kind}:${currency}`;
    const cached = this.platformAccounts.get(cacheKey);
    if (cached) return cached;
    const rows: { id: string }[] = await manager.query(
      'SELECT id FROM ledger_accounts WHERE organization_id IS NULL AND kind = $1 AND currency = $2',
      [kind, currency],
    );
    if (!rows[0])
      throw new Error(
        `the platform has no ${kind} account in ${currency}: a migration must create it`,
      );
    this.platformAccounts.set(cacheKey, rows[0].id);
    return rows[0].id;
  }

  /** Posts one balanced transaction (see postMany). */
  async post(
    manager: EntityManager,
    posting: Posting,
    knownWallet?: Wallet,
  ): Promise<LedgerTransaction> {
    // The caller's wallet row only names the accounts; balances come from postMany's UPDATE.
    const wallet = knownWallet ?? (await this.ensureWallet(manager, posting.organizationId));
    const [posted] = await this.postMany(
      manager,
      [posting],
      new Map([[posting.organizationId, wallet]]),
    );
    return posted;
  }

  /**
   * Posts balanced transactions of any organizations, in order, atomically: each one's legs must
   * sum to zero. Each wallet's cached balance and held change by what the legs move on its wallet
   * and holds accounts, in ONE conditional update for all wallets that refuses to let available or
   * held go below zero (InsufficientFundsError), so wallet rows stay locked only for the end of the
   * caller's transaction. A reused idempotency key moves nothing and throws
   * DuplicateTransactionError; the unique index still decides a race (the caller's rollback then
   * undoes the update). Transactions and their entries are written in one statement.
   * `wallets` names each organization's accounts (balances are not read from it).
   */
  async postMany(
    manager: EntityManager,
    postings: Posting[],
    wallets: ReadonlyMap<string, Wallet>,
  ): Promise<LedgerTransaction[]> {
    if (postings.length === 0) return [];
    const totals = new Map<string, { balance: bigint; held: bigint }>();
    const changes = postings.map((posting) => {
      const sum = posting.legs.reduce((total, leg) => total + leg.amountMicros, 0n);
      if (sum !== 0n)
        throw new Error(`unbalanced transaction ${posting.idempotencyKey}: legs sum to ${sum}`);
      const wallet = wallets.get(posting.organizationId);
      if (!wallet) throw new Error(`no wallet given for organization ${posting.organizationId}`);
      let balance = 0n;
      let held = 0n;
      for (const leg of posting.legs) {
        if (leg.accountId === wallet.walletAccountId) balance += leg.amountMicros;
        if (leg.accountId === wallet.holdsAccountId) {
          balance += leg.amountMicros;
          held += leg.amountMicros;
        }
      }
      const total = totals.get(posting.organizationId) ?? { balance: 0n, held: 0n };
      totals.set(posting.organizationId, {
        balance: total.balance + balance,
        held: total.held + held,
      });
      return { balance, held };
    });

    const organizations = [...totals.keys()];
    const keys = postings.map((posting) => posting.idempotencyKey);
    const updated = (await queryPrepared(
      manager,
      `UPDATE wallets w
            SET balance_micros = w.balance_micros + d.balance, held_micros = w.held_micros + d.held,
                updated_at = now()
           FROM unnest($1::uuid[], $2::bigint[], $3::bigint[]) AS d(organization_id, balance, held)
          WHERE w.organization_id = d.organization_id
            AND (w.balance_micros + d.balance) - (w.held_micros + d.held) >= 0
            AND w.held_micros + d.held >= 0
        RETURNING w.organization_id, w.balance_micros, w.held_micros`,
      [
        organizations,
        organizations.map((id) => totals.get(id)!.balance.toString()),
        organizations.map((id) => totals.get(id)!.held.toString()),
      ],
    )) as { organization_id: string; balance_micros: string; held_micros: string }[];
    if (updated.length < organizations.length) {
      const found: Record<string, unknown>[] = await manager.query(
        'SELECT * FROM ledger_transactions WHERE idempotency_key = ANY($1) LIMIT 1',
        [keys],
      );
      if (found[0])
        throw new DuplicateTransactionError(hydrate(manager, LedgerTransaction, found[0]));
      throw new InsufficientFundsError('insufficient available balance');
    }

    // Each transaction records its wallet's figures right after it: walk back from the final ones.
    const running = new Map(
      updated.map((row) => {
        const total = totals.get(row.organization_id)!;
        return [
          row.organization_id,
          {
            balance: BigInt(row.balance_micros) - total.balance,
            held: BigInt(row.held_micros) - total.held,
          },
        ];
      }),
    );
    const transactions = postings.map((posting, index) => {
      const figures = running.get(posting.organizationId)!;
      figures.balance += changes[index].balance;
      figures.held += changes[index].held;
      return manager.create(LedgerTransaction, {
        organizationId: posting.organizationId,
        kind: posting.kind,
        idempotencyKey: posting.idempotencyKey,
        balanceChangeMicros: changes[index].balance,
        heldChangeMicros: changes[index].held,
        balanceAfterMicros: figures.balance,
        heldAfterMicros: figures.held,
        callId: posting.callId ?? null,
        reason: posting.reason ?? null,
        requestHash: posting.requestHash ?? null,
        createdBy: posting.createdBy ?? null,
      });
    });
    const entries = postings.flatMap((posting) =>
      posting.legs
        .filter((leg) => leg.amountMicros !== 0n)
        .map((leg) => ({ key: posting.idempotencyKey, ...leg })),
    );
    const column = <T>(pick: (row: LedgerTransaction) => T) => transactions.map(pick);
    // ON CONFLICT keeps the transaction usable: a key taken by a concurrent retry is reported, and
    // the caller's rollback undoes the wallet update above.
    const inserted = (await queryPrepared(
      manager,
      `WITH posted AS (
           INSERT INTO ledger_transactions (organization_id, kind, idempotency_key, balance_change_micros,
                  held_change_micros, balance_after_micros, held_after_micros, call_id, reason, request_hash, created_by)
           SELECT * FROM unnest($1::uuid[], $2::ledger_transaction_kind[], $3::varchar[], $4::bigint[], $5::bigint[],
                                $6::bigint[], $7::bigint[], $8::uuid[], $9::text[], $10::varchar[], $11::uuid[])
           ON CONFLICT (idempotency_key) DO NOTHING
           RETURNING id, created_at, idempotency_key
         ), entries AS (
           INSERT INTO ledger_entries (transaction_id, account_id, amount_micros)
           SELECT posted.id, leg.account_id, leg.amount_micros
             FROM unnest($12::varchar[], $13::uuid[], $14::bigint[]) AS leg(idempotency_key, account_id, amount_micros)
             JOIN posted ON posted.idempotency_key = leg.idempotency_key
         )
         SELECT id, created_at, idempotency_key FROM posted`,
      [
        column((row) => row.organizationId),
        column((row) => row.kind),
        column((row) => row.idempotencyKey),
        column((row) => row.balanceChangeMicros.toString()),
        column((row) => row.heldChangeMicros.toString()),
        column((row) => row.balanceAfterMicros.toString()),
        column((row) => row.heldAfterMicros.toString()),
        column((row) => row.callId),
        column((row) => row.reason),
        column((row) => row.requestHash),
        column((row) => row.createdBy),
        entries.map((entry) => entry.key),
        entries.map((entry) => entry.accountId),
        entries.map((entry) => entry.amountMicros.toString()),
      ],
    )) as { id: string; created_at: Date; idempotency_key: string }[];
    if (inserted.length < transactions.length) {
      const taken = transactions.find(
        (row) => !inserted.some((posted) => posted.idempotency_key === row.idempotencyKey),
      )!;
      throw new DuplicateTransactionError(
        await manager.findOneByOrFail(LedgerTransaction, { idempotencyKey: taken.idempotencyKey }),
      );
    }
    const byKey = new Map(inserted.map((row) => [row.idempotency_key, row]));
    for (const row of transactions) {
      const posted = byKey.get(row.idempotencyKey)!;
      Object.assign(row, { id: posted.id, createdAt: posted.created_at });
    }
    return transactions;
  }

  /** Locks the wallets of these organizations (in a fixed order, so concurrent batches cannot deadlock). */
  async lockWallets(
    manager: EntityManager,
    organizationIds: string[],
  ): Promise<Map<string, Wallet>> {
    const lock = async () => {
      const rows = await queryPrepared(
        manager,
        `SELECT ${selectColumns(manager, Wallet, 'wallets')} FROM wallets
          WHERE organization_id = ANY($1) ORDER BY organization_id FOR UPDATE`,
        [organizationIds],
      );
      return new Map(
        rows.map((row) => {
          const wallet = hydrate(manager, Wallet, row);
          return [wallet.organizationId, wallet];
        }),
      );
    };
    let wallets = await lock();
    const missing = organizationIds.filter((id) => !wallets.has(id));
    if (missing.length > 0) {
      for (const organizationId of missing) await this.ensureWallet(manager, organizationId);
      wallets = await lock();
    }
    return wallets;
  }

  findByKey(manager: EntityManager, idempotencyKey: string): Promise<LedgerTransaction | null> {
    return manager.findOneBy(LedgerTransaction, { idempotencyKey });
  }

  private async account(
    manager: EntityManager,
    organizationId: string,
    kind: 'wallet' | 'holds',
    currency: string,
  ): Promise<string> {
    const find = async () => {
      const rows: { id: string }[] = await manager.query(
        'SELECT id FROM ledger_accounts WHERE organization_id = $1 AND kind = $2',
        [organizationId, kind],
      );
      return rows[0]?.id;
    };
    const found = await find();
    if (found) return found;
    await manager.query(
      `INSERT INTO ledger_accounts (organization_id, kind, currency) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [organizationId, kind, currency],
    );
    return (await find())!;
  }
}
