import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LedgerAccountKind } from './entities/ledger-account.entity';
import { LedgerTransaction, LedgerTransactionKind } from './entities/ledger-transaction.entity';
import { Wallet } from './entities/wallet.entity';
import { hydrate } from '../../database/raw-rows';

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

  /** The platform's own account of a kind (revenue, top-up funding), cached once known. */
  async platformAccount(
    manager: EntityManager,
    kind: LedgerAccountKind,
    currency = 'USD',
  ): Promise<string> {
    const cacheKey = `${kind}:${currency}`;
    const cached = this.platformAccounts.get(cacheKey);
    if (cached) return cached;
    const id = await this.account(manager, null, kind, currency);
    this.platformAccounts.set(cacheKey, id);
    return id;
  }

  /** Posts one balanced transaction; see postAll. */
  async post(
    manager: EntityManager,
    posting: Posting,
    wallet?: Wallet,
  ): Promise<LedgerTransaction> {
    return (await this.postAll(manager, [posting], wallet))[0];
  }

  /**
   * Posts balanced transactions of one organization, in order, atomically: each one's legs must sum
   * to zero. The wallet's cached balance and held change by what the legs move on its wallet and
   * holds accounts, in ONE conditional update that refuses to let available or held go below zero
   * (InsufficientFundsError) — so the wallet row stays locked only for the end of the caller's
   * transaction. A reused idempotency key throws DuplicateTransactionError before anything moves;
   * the unique index still decides a race.
   */
  async postAll(
    manager: EntityManager,
    postings: Posting[],
    knownWallet?: Wallet,
  ): Promise<LedgerTransaction[]> {
    if (postings.length === 0) return [];
    const organizationId = postings[0].organizationId;
    for (const posting of postings) {
      const sum = posting.legs.reduce((total, leg) => total + leg.amountMicros, 0n);
      if (sum !== 0n)
        throw new Error(`unbalanced transaction ${posting.idempotencyKey}: legs sum to ${sum}`);
      if (posting.organizationId !== organizationId)
        throw new Error('postAll takes postings of one organization');
    }

    const keys = postings.map((posting) => posting.idempotencyKey);
    const found: Record<string, unknown>[] = await manager.query(
      'SELECT * FROM ledger_transactions WHERE idempotency_key = ANY($1) LIMIT 1',
      [keys],
    );
    if (found[0])
      throw new DuplicateTransactionError(hydrate(manager, LedgerTransaction, found[0]));

    // The caller's wallet row only names the accounts; balances come from the UPDATE below.
    const wallet = knownWallet ?? (await this.ensureWallet(manager, organizationId));
    const changes = postings.map((posting) => {
      let balance = 0n;
      let held = 0n;
      for (const leg of posting.legs) {
        if (leg.accountId === wallet.walletAccountId) balance += leg.amountMicros;
        if (leg.accountId === wallet.holdsAccountId) {
          balance += leg.amountMicros;
          held += leg.amountMicros;
        }
      }
      return { balance, held };
    });
    const totalBalance = changes.reduce((sum, change) => sum + change.balance, 0n);
    const totalHeld = changes.reduce((sum, change) => sum + change.held, 0n);

    const updated: { balance_micros: string; held_micros: string }[] = await manager.query(
      `UPDATE wallets
          SET balance_micros = balance_micros + $2, held_micros = held_micros + $3, updated_at = now()
        WHERE organization_id = $1
          AND (balance_micros + $2) - (held_micros + $3) >= 0
          AND held_micros + $3 >= 0
      RETURNING balance_micros, held_micros`,
      [organizationId, totalBalance.toString(), totalHeld.toString()],
    );
    const after = Array.isArray(updated[0]) ? (updated[0] as typeof updated) : updated;
    if (after.length === 0) throw new InsufficientFundsError('insufficient available balance');

    // Each transaction records the balance right after it: walk back from the final figures.
    let balanceAfter = BigInt(after[0].balance_micros) - totalBalance;
    let heldAfter = BigInt(after[0].held_micros) - totalHeld;
    const rows = postings.map((posting, index) => {
      balanceAfter += changes[index].balance;
      heldAfter += changes[index].held;
      return manager.create(LedgerTransaction, {
        organizationId,
        kind: posting.kind,
        idempotencyKey: posting.idempotencyKey,
        balanceChangeMicros: changes[index].balance,
        heldChangeMicros: changes[index].held,
        balanceAfterMicros: balanceAfter,
        heldAfterMicros: heldAfter,
        callId: posting.callId ?? null,
        reason: posting.reason ?? null,
        requestHash: posting.requestHash ?? null,
        createdBy: posting.createdBy ?? null,
      });
    });
    const values: unknown[] = [];
    const tuples = rows.map((row) => {
      values.push(
        row.organizationId,
        row.kind,
        row.idempotencyKey,
        row.balanceChangeMicros.toString(),
        row.heldChangeMicros.toString(),
        row.balanceAfterMicros.toString(),
        row.heldAfterMicros.toString(),
        row.callId,
        row.reason,
        row.requestHash,
        row.createdBy,
      );
      const n = values.length;
      return `(${Array.from({ length: 11 }, (_, k) => `$${n - 10 + k}`).join(', ')})`;
    });
    // ON CONFLICT keeps the transaction usable: a key taken by a concurrent retry is reported, and
    // the caller's rollback undoes the wallet update above.
    const inserted: { id: string; created_at: Date; idempotency_key: string }[] =
      await manager.query(
        `INSERT INTO ledger_transactions (organization_id, kind, idempotency_key, balance_change_micros, held_change_micros,
         balance_after_micros, held_after_micros, call_id, reason, request_hash, created_by)
       VALUES ${tuples.join(', ')}
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id, created_at, idempotency_key`,
        values,
      );
    if (inserted.length < rows.length) {
      const taken = keys.find((key) => !inserted.some((row) => row.idempotency_key === key))!;
      throw new DuplicateTransactionError(
        await manager.findOneByOrFail(LedgerTransaction, { idempotencyKey: taken }),
      );
    }
    const byKey = new Map(inserted.map((row) => [row.idempotency_key, row]));
    rows.forEach((row) =>
      Object.assign(row, {
        id: byKey.get(row.idempotencyKey)!.id,
        createdAt: byKey.get(row.idempotencyKey)!.created_at,
      }),
    );
    const transactions = rows;
    const entries = postings.flatMap((posting, index) =>
      posting.legs
        .filter((leg) => leg.amountMicros !== 0n)
        .map((leg) => [transactions[index].id, leg.accountId, leg.amountMicros.toString()]),
    );
    await manager.query(
      `INSERT INTO ledger_entries (transaction_id, account_id, amount_micros) VALUES ${entries
        .map((_, k) => `($${k * 3 + 1}, $${k * 3 + 2}, $${k * 3 + 3})`)
        .join(', ')}`,
      entries.flat(),
    );
    return transactions;
  }

  findByKey(manager: EntityManager, idempotencyKey: string): Promise<LedgerTransaction | null> {
    return manager.findOneBy(LedgerTransaction, { idempotencyKey });
  }

  private async account(
    manager: EntityManager,
    organizationId: string | null,
    kind: LedgerAccountKind,
    currency: string,
  ): Promise<string> {
    const find = async () => {
      const rows: { id: string }[] = organizationId
        ? await manager.query(
            'SELECT id FROM ledger_accounts WHERE organization_id = $1 AND kind = $2',
            [organizationId, kind],
          )
        : await manager.query(
            'SELECT id FROM ledger_accounts WHERE organization_id IS NULL AND kind = $1 AND currency = $2',
            [kind, currency],
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
