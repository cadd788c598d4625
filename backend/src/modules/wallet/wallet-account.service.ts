import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { pipeline, Readable } from 'node:stream';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { csvStringifier, decimalAmount } from '../../common/csv';
import { decodeCursor, encodeCursor } from '../../common/cursor';
import { AuditService } from '../audit/audit.service';
import { AuthUser, isAdminRole } from '../auth/auth-user';
import { LedgerTransaction } from './entities/ledger-transaction.entity';
import { Wallet } from './entities/wallet.entity';
import { LedgerService } from './ledger.service';
import { ListTransactionsQuery, TransactionList, WalletView } from './wallet.dto';
import { toTransactionView, toWalletView } from './wallet-views';

/**
 * What an organization does with its wallet: read it, set its warning, list and export its
 * transactions. Money comes in through payments (modules/payments) and the platform operator.
 */
@Injectable()
export class WalletAccountService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  async get(caller: AuthUser): Promise<WalletView> {
    return toWalletView(
      await this.ledger.ensureWallet(this.dataSource.manager, caller.organizationId),
    );
  }

  async setLowBalanceThreshold(caller: AuthUser, thresholdMicros: bigint): Promise<WalletView> {
    await this.dataSource.transaction(async (manager) => {
      await this.ledger.ensureWallet(manager, caller.organizationId);
      const [wallet]: { low_balance_threshold_micros: string }[] = await manager.query(
        `SELECT low_balance_threshold_micros FROM wallets WHERE organization_id = $1 FOR UPDATE`,
        [caller.organizationId],
      );
      const before = wallet.low_balance_threshold_micros;
      if (BigInt(before) === thresholdMicros) return;
      await manager.update(
        Wallet,
        { organizationId: caller.organizationId },
        { lowBalanceThresholdMicros: thresholdMicros },
      );
      await this.audit.record(manager, {
        actor: caller,
        organizationId: caller.organizationId,
        action: 'wallet.settings_changed',
        target: { type: 'organization', id: caller.organizationId },
        before: { lowBalanceThresholdMicros: before },
        after: { lowBalanceThresholdMicros: thresholdMicros.toString() },
      });
    });
    return this.get(caller);
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
}
