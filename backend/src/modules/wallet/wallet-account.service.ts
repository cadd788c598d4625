import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { PaymentRequiredException } from '../../common/errors';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { csvStringifier, decimalAmount } from '../../common/csv';
import { decodeCursor, encodeCursor } from '../../common/cursor';
import { AuthUser, isAdminRole } from '../auth/auth-user';
import { Call } from '../calls/entities/call.entity';
import { LedgerTransaction } from './entities/ledger-transaction.entity';
import { Wallet } from './entities/wallet.entity';
import { DuplicateTransactionError, InsufficientFundsError, LedgerService } from './ledger.service';
import {
  AdjustmentDto,
  ListTransactionsQuery,
  RefundDto,
  TopUpDto,
  TransactionList,
  TransactionView,
  WalletView,
} from './wallet.dto';
import { toTransactionView, toWalletView } from './wallet-views';
import { WalletService } from './wallet.service';

const requestHash = (body: unknown) =>
  createHash('sha256').update(JSON.stringify(body)).digest('hex');

/** What people do with a wallet: read it, top it up, refund, adjust, list and export its transactions. */
@Injectable()
export class WalletAccountService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly wallets: WalletService,
  ) {}

  async get(caller: AuthUser): Promise<WalletView> {
    return toWalletView(
      await this.ledger.ensureWallet(this.dataSource.manager, caller.organizationId),
    );
  }

  async setLowBalanceThreshold(caller: AuthUser, thresholdMicros: bigint): Promise<WalletView> {
    await this.ledger.ensureWallet(this.dataSource.manager, caller.organizationId);
    await this.dataSource
      .getRepository(Wallet)
      .update(
        { organizationId: caller.organizationId },
        { lowBalanceThresholdMicros: thresholdMicros },
      );
    return this.get(caller);
  }

  /**
   * Credits the wallet once per Idempotency-Key: the same key returns the first answer again;
   * the same key with another body is a 409.
   */
  topUp(
    caller: AuthUser,
    idempotencyKey: string | undefined,
    body: TopUpDto,
  ): Promise<TransactionView> {
    return this.manualMovement(
      caller,
      idempotencyKey,
      'topup',
      body,
      async (manager, wallet, key, hash) => {
        const funding = await this.ledger.platformAccount(
          manager,
          'topup_funding',
          wallet.currency,
        );
        const amount = BigInt(body.amountMicros);
        return this.ledger.post(manager, {
          organizationId: caller.organizationId,
          kind: 'topup',
          idempotencyKey: key,
          requestHash: hash,
          createdBy: caller.id,
          reason: body.note ?? null,
          legs: [
            { accountId: funding, amountMicros: -amount },
            { accountId: wallet.walletAccountId, amountMicros: amount },
          ],
        });
      },
    );
  }

  refund(
    caller: AuthUser,
    idempotencyKey: string | undefined,
    body: RefundDto,
  ): Promise<TransactionView> {
    return this.manualMovement(
      caller,
      idempotencyKey,
      'refund',
      body,
      async (manager, wallet, key, hash) => {
        if (
          body.callId &&
          !(await manager.existsBy(Call, {
            id: body.callId,
            organizationId: caller.organizationId,
          }))
        ) {
          throw new NotFoundException(`Call ${body.callId} not found`);
        }
        const revenue = await this.ledger.platformAccount(
          manager,
          'platform_revenue',
          wallet.currency,
        );
        const amount = BigInt(body.amountMicros);
        return this.ledger.post(manager, {
          organizationId: caller.organizationId,
          kind: 'refund',
          idempotencyKey: key,
          requestHash: hash,
          createdBy: caller.id,
          callId: body.callId ?? null,
          reason: body.reason,
          legs: [
            { accountId: revenue, amountMicros: -amount },
            { accountId: wallet.walletAccountId, amountMicros: amount },
          ],
        });
      },
    );
  }

  adjust(
    caller: AuthUser,
    idempotencyKey: string | undefined,
    body: AdjustmentDto,
  ): Promise<TransactionView> {
    return this.manualMovement(
      caller,
      idempotencyKey,
      'adjustment',
      body,
      async (manager, wallet, key, hash) => {
        const funding = await this.ledger.platformAccount(
          manager,
          'topup_funding',
          wallet.currency,
        );
        const amount = BigInt(body.amountMicros);
        return this.ledger.post(manager, {
          organizationId: caller.organizationId,
          kind: 'adjustment',
          idempotencyKey: key,
          requestHash: hash,
          createdBy: caller.id,
          reason: body.reason,
          legs: [
            { accountId: funding, amountMicros: -amount },
            { accountId: wallet.walletAccountId, amountMicros: amount },
          ],
        });
      },
    );
  }

  async list(caller: AuthUser, query: ListTransactionsQuery): Promise<TransactionList> {
    const limit = query.limit ?? 50;
    const builder = this.filtered(caller, query)
      .orderBy('tx.created_at', 'DESC')
      .addOrderBy('tx.id', 'DESC')
      .take(limit + 1);
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor, ['timestamp', 'uuid']);
      builder.andWhere('(tx.created_at, tx.id) < (:createdAt, :id)', { createdAt, id });
    }
    const rows = await builder.getMany();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toTransactionView),
      nextCursor:
        rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  /** CSV of the filtered transactions, streamed page by page (keyset) so any size fits in memory. */
  exportCsv(caller: AuthUser, query: ListTransactionsQuery): Readable {
    const csv = csvStringifier([
      'id',
      'created_at',
      'kind',
      'balance_change_micros',
      'balance_change',
      'available_change_micros',
      'available_change',
      'balance_after_micros',
      'balance_after',
      'available_after_micros',
      'available_after',
      'call_id',
      'reason',
    ]);
    const pages = async function* (this: WalletAccountService) {
      let cursor: string | undefined;
      do {
        const page = await this.list(caller, { ...query, cursor, limit: 200 });
        for (const item of page.items) {
          yield [
            item.id,
            item.createdAt,
            item.kind,
            item.balanceChangeMicros,
            decimalAmount(item.balanceChangeMicros),
            item.availableChangeMicros,
            decimalAmount(item.availableChangeMicros),
            item.balanceAfterMicros,
            decimalAmount(item.balanceAfterMicros),
            item.availableAfterMicros,
            decimalAmount(item.availableAfterMicros),
            item.callId ?? '',
            item.reason ?? '',
          ];
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }.call(this);
    // pipeline: an error while reading pages ends the response instead of crashing the process.
    return pipeline(Readable.from(pages), csv, () => undefined);
  }

  private filtered(
    caller: AuthUser,
    query: ListTransactionsQuery,
  ): SelectQueryBuilder<LedgerTransaction> {
    const builder = this.dataSource
      .getRepository(LedgerTransaction)
      .createQueryBuilder('tx')
      .where('tx.organization_id = :organizationId', { organizationId: caller.organizationId });
    // Agents see the money of their own calls only (like call history), never a colleague's.
    if (!isAdminRole(caller.role)) {
      builder.andWhere('tx.call_id IN (SELECT id FROM calls WHERE agent_id = :self)', {
        self: caller.id,
      });
    }
    if (query.kind?.length) builder.andWhere('tx.kind IN (:...kinds)', { kinds: query.kind });
    if (query.from) builder.andWhere('tx.created_at >= :from', { from: new Date(query.from) });
    if (query.to) builder.andWhere('tx.created_at < :to', { to: new Date(query.to) });
    return builder;
  }

  private async manualMovement(
    caller: AuthUser,
    idempotencyKey: string | undefined,
    kind: 'topup' | 'refund' | 'adjustment',
    body: object,
    post: (
      manager: import('typeorm').EntityManager,
      wallet: Wallet,
      key: string,
      hash: string,
    ) => Promise<LedgerTransaction>,
  ): Promise<TransactionView> {
    if (!idempotencyKey || !/^[\w.:-]{8,200}$/.test(idempotencyKey)) {
      throw new BadRequestException(
        'Idempotency-Key header is required: 8 to 200 letters, digits, -, _, . or : (a UUID is a good choice)',
      );
    }
    const key = `${kind}:${caller.organizationId}:${idempotencyKey}`;
    const hash = requestHash(body);
    const replay = (existing: LedgerTransaction) => {
      if (existing.requestHash !== hash) {
        throw new ConflictException(
          'This Idempotency-Key was already used with a different request',
        );
      }
      return toTransactionView(existing);
    };
    const existing = await this.ledger.findByKey(this.dataSource.manager, key);
    if (existing) return replay(existing);
    try {
      const transaction = await this.dataSource.transaction(async (manager) => {
        const wallet = await this.wallets.lockWallet(manager, caller.organizationId);
        return post(manager, wallet, key, hash);
      });
      await this.wallets.publishBalance(caller.organizationId);
      return toTransactionView(transaction);
    } catch (error) {
      if (error instanceof DuplicateTransactionError) return replay(error.existing);
      if (error instanceof InsufficientFundsError) {
        throw new PaymentRequiredException('The wallet does not have that much available');
      }
      throw error;
    }
  }
}
