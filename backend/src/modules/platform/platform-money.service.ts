import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { Organization } from '../auth/entities/organization.entity';
import { Call } from '../calls/entities/call.entity';
import { LedgerTransaction } from '../wallet/entities/ledger-transaction.entity';
import { DuplicateTransactionError, LedgerService } from '../wallet/ledger.service';
import { TransactionView } from '../wallet/wallet.dto';
import { toTransactionView } from '../wallet/wallet-views';
import { WalletService } from '../wallet/wallet.service';
import { CallRefundDto, CreditDto, PlatformMovementView } from './platform.dto';
import { AuditService } from '../audit/audit.service';

const requestHash = (body: unknown) =>
  createHash('sha256').update(JSON.stringify(body)).digest('hex');

/**
 * Money the platform operator moves by hand: credits (a bank transfer received) and refunds of a
 * call. Organizations cannot do either for themselves.
 */
@Injectable()
export class PlatformMoneyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly wallets: WalletService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Credits the wallet exactly once per Idempotency-Key (the unique ledger key decides, concurrent
   * requests too): the same key answers the first transaction again; with another body, 409.
   */
  async credit(
    operator: AuthUser,
    organizationId: string,
    idempotencyKey: string | undefined,
    body: CreditDto,
  ): Promise<PlatformMovementView> {
    if (!idempotencyKey || !/^[\w.:-]{8,200}$/.test(idempotencyKey)) {
      throw new BadRequestException(
        'Idempotency-Key header is required: 8 to 200 letters, digits, -, _, . or : (a UUID is a good choice)',
      );
    }
    if (!(await this.dataSource.manager.existsBy(Organization, { id: organizationId })))
      throw new NotFoundException(`Organization ${organizationId} not found`);
    const key = `credit:${organizationId}:${idempotencyKey}`;
    const hash = requestHash(body);
    const replay = (existing: LedgerTransaction): PlatformMovementView => {
      if (existing.requestHash !== hash)
        throw new ConflictException(
          'This Idempotency-Key was already used with a different request',
        );
      return { organizationId, transaction: toTransactionView(existing) };
    };
    const existing = await this.ledger.findByKey(this.dataSource.manager, key);
    if (existing) return replay(existing);
    try {
      const transaction = await this.dataSource.transaction(async (manager) => {
        const wallet = await this.wallets.lockWallet(manager, organizationId);
        const funding = await this.ledger.platformAccount(
          manager,
          'topup_funding',
          wallet.currency,
        );
        const amount = BigInt(body.amountMicros);
        const before = wallet.balanceMicros;
        const posted = await this.ledger.post(
          manager,
          {
            organizationId,
            kind: 'adjustment',
            idempotencyKey: key,
            requestHash: hash,
            createdBy: operator.id,
            reason: body.reason,
            legs: [
              { accountId: funding, amountMicros: -amount },
              { accountId: wallet.walletAccountId, amountMicros: amount },
            ],
          },
          wallet,
        );
        await this.audit.record(manager, {
          actor: operator,
          organizationId,
          action: 'wallet.credited',
          target: { type: 'organization', id: organizationId },
          before: { balanceMicros: before },
          after: {
            balanceMicros: before + amount,
            amountMicros: amount,
            reason: body.reason,
            transactionId: posted.id,
          },
        });
        return posted;
      });
      await this.wallets.publishBalance(organizationId);
      return { organizationId, transaction: toTransactionView(transaction) };
    } catch (error) {
      if (error instanceof DuplicateTransactionError) return replay(error.existing);
      throw error;
    }
  }

  /**
   * Refunds a call at most what it was charged, once: the refund's ledger key is the call's own
   * (`call:{id}:refund`), so a second refund, concurrent or later, is a 409.
   */
  async refundCall(
    operator: AuthUser,
    callId: string,
    body: CallRefundDto,
  ): Promise<PlatformMovementView> {
    const call = await this.dataSource.manager.findOne(Call, {
      where: { id: callId },
      select: { id: true, organizationId: true },
    });
    if (!call) throw new NotFoundException(`Call ${callId} not found`);
    if (body.organizationId && call.organizationId !== body.organizationId)
      throw new NotFoundException(`Call ${callId} is not a call of this organization`);
    const key = `call:${callId}:refund`;
    const already = () =>
      new ConflictException(`Call ${callId} was already refunded (a call is refunded once)`);
    if (await this.ledger.findByKey(this.dataSource.manager, key)) throw already();
    try {
      const transaction = await this.dataSource.transaction(async (manager) => {
        const wallet = await this.wallets.lockWallet(manager, call.organizationId);
        const [{ charged }]: { charged: string }[] = await manager.query(
          `SELECT coalesce(-sum(balance_change_micros), 0)::text AS charged FROM ledger_transactions
            WHERE call_id = $1 AND kind IN ('capture', 'call_charge')`,
          [callId],
        );
        const chargedMicros = BigInt(charged);
        if (chargedMicros <= 0n)
          throw new ConflictException(`Call ${callId} was not charged: there is nothing to refund`);
        const amount = body.amountMicros ? BigInt(body.amountMicros) : chargedMicros;
        if (amount > chargedMicros)
          throw new BadRequestException(
            `amountMicros ${amount} is more than the call was charged (${chargedMicros})`,
          );
        const revenue = await this.ledger.platformAccount(
          manager,
          'platform_revenue',
          wallet.currency,
        );
        const posted = await this.ledger.post(
          manager,
          {
            organizationId: call.organizationId,
            kind: 'refund',
            idempotencyKey: key,
            createdBy: operator.id,
            callId,
            reason: body.reason,
            legs: [
              { accountId: revenue, amountMicros: -amount },
              { accountId: wallet.walletAccountId, amountMicros: amount },
            ],
          },
          wallet,
        );
        await this.audit.record(manager, {
          actor: operator,
          organizationId: call.organizationId,
          action: 'call.refunded',
          target: { type: 'call', id: callId },
          before: { chargedMicros, refundedMicros: 0n },
          after: {
            chargedMicros,
            refundedMicros: amount,
            reason: body.reason,
            transactionId: posted.id,
          },
        });
        return posted;
      });
      await this.wallets.publishBalance(call.organizationId);
      return { organizationId: call.organizationId, transaction: toTransactionView(transaction) };
    } catch (error) {
      if (error instanceof DuplicateTransactionError) throw already();
      throw error;
    }
  }
}

export type { TransactionView };
