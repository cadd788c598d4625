import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { Wallet } from './entities/wallet.entity';
import { InsufficientFundsError, LedgerService, Posting } from './ledger.service';

export interface CallSettlement {
  /** What the call cost the organization in the end (captured from the hold, plus any extra charge). */
  chargedMicros: bigint;
  /** Cost the wallet could not cover (only possible when a provider reports more than the time limit). */
  shortfallMicros: bigint;
  /** The wallet right after the settlement (null when nothing moved). */
  balanceAfter: { balanceMicros: bigint; heldMicros: bigint } | null;
}

export interface WalletBalance {
  balanceMicros: bigint;
  heldMicros: bigint;
  availableMicros: bigint;
}

/** Money operations on an organization's wallet, each one a balanced ledger transaction. */
@Injectable()
export class WalletService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly realtime: RealtimePublisher,
  ) {}

  /** Locks the wallet row for the rest of the caller's transaction and returns it. */
  async lockWallet(manager: EntityManager, organizationId: string): Promise<Wallet> {
    await this.ledger.ensureWallet(manager, organizationId);
    return manager.findOneOrFail(Wallet, {
      where: { organizationId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Reserves money for a call: wallet → holds. Throws InsufficientFundsError when available is short. */
  async holdForCall(
    manager: EntityManager,
    organizationId: string,
    callId: string,
    amountMicros: bigint,
  ): Promise<void> {
    if (amountMicros <= 0n) return;
    const wallet = await this.ledger.ensureWallet(manager, organizationId);
    await this.ledger.post(
      manager,
      {
        organizationId,
        kind: 'hold',
        idempotencyKey: `call:${callId}:hold`,
        callId,
        legs: [
          { accountId: wallet.walletAccountId, amountMicros: -amountMicros },
          { accountId: wallet.holdsAccountId, amountMicros },
        ],
      },
      wallet,
    );
  }

  /**
   * Settles an ended call once: captures its cost from the hold (holds → revenue), releases the
   * rest (holds → wallet), and charges any cost beyond the hold from what is available. Each step
   * has its own idempotency key, so a second settlement of the same call cannot move money again.
   */
  async settleCall(
    manager: EntityManager,
    call: { organizationId: string; callId: string; holdMicros: bigint; costMicros: bigint },
  ): Promise<CallSettlement> {
    const wallet = await this.ledger.ensureWallet(manager, call.organizationId);
    const revenue = await this.ledger.platformAccount(manager, 'platform_revenue', wallet.currency);
    const captured = call.costMicros < call.holdMicros ? call.costMicros : call.holdMicros;
    const released = call.holdMicros - captured;
    const postings: Posting[] = [];
    if (captured > 0n) {
      postings.push({
        organizationId: call.organizationId,
        kind: 'capture',
        idempotencyKey: `call:${call.callId}:capture`,
        callId: call.callId,
        legs: [
          { accountId: wallet.holdsAccountId, amountMicros: -captured },
          { accountId: revenue, amountMicros: captured },
        ],
      });
    }
    if (released > 0n) {
      postings.push({
        organizationId: call.organizationId,
        kind: 'release',
        idempotencyKey: `call:${call.callId}:release`,
        callId: call.callId,
        legs: [
          { accountId: wallet.holdsAccountId, amountMicros: -released },
          { accountId: wallet.walletAccountId, amountMicros: released },
        ],
      });
    }
    // Capture and release move the wallet once, together (the hot path: one short row lock).
    const posted = await this.ledger.postAll(manager, postings, wallet);
    let last = posted.at(-1);

    let extra = call.costMicros - captured;
    let shortfall = 0n;
    if (extra > 0n) {
      // Rare: the provider reported more talk time than was reserved. Charge what is available.
      const current = await manager.findOneByOrFail(Wallet, {
        organizationId: call.organizationId,
      });
      const available = current.balanceMicros - current.heldMicros;
      if (extra > available) {
        shortfall = extra - available;
        extra = available;
      }
      if (extra > 0n) {
        last = await this.ledger.post(manager, {
          organizationId: call.organizationId,
          kind: 'call_charge',
          idempotencyKey: `call:${call.callId}:charge`,
          callId: call.callId,
          reason: 'Talk time beyond the reserved amount',
          legs: [
            { accountId: wallet.walletAccountId, amountMicros: -extra },
            { accountId: revenue, amountMicros: extra },
          ],
        });
      }
    }
    return {
      chargedMicros: captured + (extra > 0n ? extra : 0n),
      shortfallMicros: shortfall,
      balanceAfter: last
        ? { balanceMicros: last.balanceAfterMicros, heldMicros: last.heldAfterMicros }
        : null,
    };
  }

  async balance(manager: EntityManager, organizationId: string): Promise<WalletBalance> {
    const wallet = await this.ledger.ensureWallet(manager, organizationId);
    return {
      balanceMicros: wallet.balanceMicros,
      heldMicros: wallet.heldMicros,
      availableMicros: wallet.balanceMicros - wallet.heldMicros,
    };
  }

  /**
   * Pushes the organization's balance to its browsers; call after the commit that changed it.
   * Pass the figures when the caller knows them (saves a read).
   */
  async publishBalance(
    organizationId: string,
    known?: { balanceMicros: bigint; heldMicros: bigint },
  ): Promise<void> {
    const { balanceMicros, heldMicros } =
      known ?? (await this.balance(this.dataSource.manager, organizationId));
    const availableMicros = balanceMicros - heldMicros;
    this.realtime.publish({
      event: 'wallet:updated',
      organizationId,
      payload: {
        balanceMicros: balanceMicros.toString(),
        heldMicros: heldMicros.toString(),
        availableMicros: availableMicros.toString(),
      },
    });
  }
}

export { InsufficientFundsError };
