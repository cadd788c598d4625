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

export interface CallToSettle {
  organizationId: string;
  callId: string;
  holdMicros: bigint;
  costMicros: bigint;
}

/** What planSettlements worked out: each call's charge and postings, and the locked wallets. */
export interface SettlementPlan {
  settlements: Map<string, CallSettlement>;
  postingsOfCall: Map<string, Posting[]>;
  wallets: Map<string, Wallet>;
}

export interface SettledCalls {
  settlements: Map<string, CallSettlement>;
  /** Each organization's wallet after the settlements (to publish after the commit). */
  balances: Map<string, { balanceMicros: bigint; heldMicros: bigint }>;
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

  /** Settles one ended call; see settleCalls. */
  async settleCall(manager: EntityManager, call: CallToSettle): Promise<CallSettlement> {
    return (await this.settleCalls(manager, [call])).settlements.get(call.callId)!;
  }

  /**
   * Settles ended calls once each: captures a call's cost from its hold (holds → revenue), releases
   * the rest (holds → wallet), and charges any cost beyond the hold from what is available. Each step
   * has its own idempotency key, so a second settlement of the same call cannot move money again.
   */
  async settleCalls(manager: EntityManager, calls: CallToSettle[]): Promise<SettledCalls> {
    return this.postSettlements(manager, await this.planSettlements(manager, calls));
  }

  /**
   * The first half of settleCalls: locks the wallets of these calls (together, in a fixed order)
   * and works out what each call is charged and the postings, without writing anything yet.
   */
  async planSettlements(manager: EntityManager, calls: CallToSettle[]): Promise<SettlementPlan> {
    const settlements = new Map<string, CallSettlement>();
    const postingsOfCall = new Map<string, Posting[]>();
    if (calls.length === 0) return { settlements, postingsOfCall, wallets: new Map() };
    const wallets = await this.ledger.lockWallets(manager, [
      ...new Set(calls.map((call) => call.organizationId)),
    ]);
    const available = new Map(
      [...wallets.values()].map((wallet) => [
        wallet.organizationId,
        wallet.balanceMicros - wallet.heldMicros,
      ]),
    );
    for (const call of calls) {
      const wallet = wallets.get(call.organizationId)!;
      const revenue = await this.ledger.platformAccount(
        manager,
        'platform_revenue',
        wallet.currency,
      );
      const captured = call.costMicros < call.holdMicros ? call.costMicros : call.holdMicros;
      const released = call.holdMicros - captured;
      // Rare: the provider reported more talk time than was reserved. Charge what is available.
      let extra = call.costMicros - captured;
      let shortfall = 0n;
      const free = available.get(call.organizationId)! + released;
      if (extra > free) {
        shortfall = extra - free;
        extra = free;
      }
      available.set(call.organizationId, free - extra);
      const own: Posting[] = [];
      const post = (kind: Posting['kind'], amount: bigint, from: string, to: string) =>
        own.push({
          organizationId: call.organizationId,
          kind,
          idempotencyKey: `call:${call.callId}:${kind === 'call_charge' ? 'charge' : kind}`,
          callId: call.callId,
          reason: kind === 'call_charge' ? 'Talk time beyond the reserved amount' : null,
          legs: [
            { accountId: from, amountMicros: -amount },
            { accountId: to, amountMicros: amount },
          ],
        });
      if (captured > 0n) post('capture', captured, wallet.holdsAccountId, revenue);
      if (released > 0n) post('release', released, wallet.holdsAccountId, wallet.walletAccountId);
      if (extra > 0n) post('call_charge', extra, wallet.walletAccountId, revenue);
      postingsOfCall.set(call.callId, own);
      settlements.set(call.callId, {
        chargedMicros: captured + extra,
        shortfallMicros: shortfall,
        balanceAfter: null,
      });
    }
    return { settlements, postingsOfCall, wallets };
  }

  /** The second half of settleCalls: posts the planned transactions (each wallet moves once). */
  async postSettlements(manager: EntityManager, plan: SettlementPlan): Promise<SettledCalls> {
    const balances = new Map<string, { balanceMicros: bigint; heldMicros: bigint }>();
    const postings = [...plan.postingsOfCall.values()].flat();
    const posted = await this.ledger.postMany(manager, postings, plan.wallets);
    const byKey = new Map(posted.map((transaction) => [transaction.idempotencyKey, transaction]));
    for (const [callId, own] of plan.postingsOfCall) {
      const last = own.length > 0 ? byKey.get(own[own.length - 1].idempotencyKey) : undefined;
      if (!last) continue;
      plan.settlements.get(callId)!.balanceAfter = {
        balanceMicros: last.balanceAfterMicros,
        heldMicros: last.heldAfterMicros,
      };
    }
    for (const transaction of posted) {
      balances.set(transaction.organizationId, {
        balanceMicros: transaction.balanceAfterMicros,
        heldMicros: transaction.heldAfterMicros,
      });
    }
    return { settlements: plan.settlements, balances };
  }

  async balance(manager: EntityManager, organizationId: string): Promise<WalletBalance> {
    const wallet = await this.ledger.ensureWallet(manager, organizationId);
    return {
      balanceMicros: wallet.balanceMicros,
      heldMicros: wallet.heldMicros,
      availableMicros: wallet.balanceMicros - wallet.heldMicros,
    };
  }

  /** The organization's low-balance warning threshold in micros (0 when it has no wallet yet). */
  async lowBalanceThresholdMicros(organizationId: string): Promise<bigint> {
    const rows: { threshold: string }[] = await this.dataSource.query(
      `SELECT low_balance_threshold_micros::text AS threshold FROM wallets WHERE organization_id = $1`,
      [organizationId],
    );
    return rows[0] ? BigInt(rows[0].threshold) : 0n;
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
