import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { PaymentRequiredException } from '../../common/errors';
import { formatMicros } from '../../common/money';
import { isTerminal } from '../calls/call-status';
import { Call } from '../calls/entities/call.entity';
import { CallSettlement, WalletService } from '../wallet/wallet.service';
import { RatesService, toRateTerms } from './rates.service';
import { callCost, maxAffordableSeconds, RateTerms } from './rating';

export interface Reservation {
  timeLimitSeconds: number;
  holdMicros: bigint;
}

const termsOfCall = (call: Call): RateTerms | null =>
  call.ratePerMinuteMicros === null
    ? null
    : {
        ratePerMinuteMicros: call.ratePerMinuteMicros,
        initialIncrement: call.rateInitialIncrement ?? 60,
        subsequentIncrement: call.rateSubsequentIncrement ?? 60,
        minimumSeconds: call.rateMinimumSeconds ?? 0,
      };

/** Wallet-safe calls: reserve the longest affordable call when placing it, settle it exactly once when it ends. */
@Injectable()
export class CallBillingService {
  constructor(
    private readonly rates: RatesService,
    private readonly wallets: WalletService,
    private readonly config: AppConfig,
  ) {}

  /**
   * In the caller's transaction: finds the rate, locks the wallet, holds the cost of the longest
   * call it can afford (at most MAX_CALL_SECONDS) and stamps the call with its rate and time limit.
   * Throws 402 when there is no rate or not enough for one billing increment.
   */
  async reserve(manager: EntityManager, call: Call): Promise<Reservation> {
    const rate = await this.rates.findRate(call.organizationId, call.toNumber, manager);
    if (!rate)
      throw new PaymentRequiredException(
        `No rate for ${call.toNumber}: calls to this destination are not enabled`,
      );
    const terms = toRateTerms(rate);
    const wallet = await this.wallets.lockWallet(manager, call.organizationId);
    const available = wallet.balanceMicros - wallet.heldMicros;
    const seconds = maxAffordableSeconds(available, terms, this.config.MAX_CALL_SECONDS);
    if (seconds === 0) {
      throw new PaymentRequiredException(
        `Insufficient balance: a call to ${call.toNumber} needs at least ${formatMicros(callCost(1, terms))} ${wallet.currency}; available ${formatMicros(available)} ${wallet.currency}`,
      );
    }
    const holdMicros = callCost(seconds, terms);
    await this.wallets.holdForCall(manager, call.organizationId, call.id, holdMicros);
    const stamp = {
      timeLimitSeconds: seconds,
      holdMicros,
      ratePrefix: rate.prefix,
      ratePerMinuteMicros: rate.ratePerMinuteMicros,
      rateInitialIncrement: rate.initialIncrement,
      rateSubsequentIncrement: rate.subsequentIncrement,
      rateMinimumSeconds: rate.minimumSeconds,
    };
    await manager.update(Call, { id: call.id }, stamp);
    Object.assign(call, stamp);
    return { timeLimitSeconds: seconds, holdMicros };
  }

  /** Settles one call if it has ended; see settleEndedCalls. Returns null when no money moved. */
  async settleIfEnded(manager: EntityManager, call: Call): Promise<CallSettlement | null> {
    return (await this.settleEndedCalls(manager, [call])).settlements.get(call.id) ?? null;
  }

  /**
   * In the caller's transaction (the call rows locked): once a call has ended and its talk time is
   * known, prices it from the provider's own duration and settles the wallet; calls of one batch
   * settle together. Unanswered endings cost nothing. A call already priced, or whose duration has
   * not arrived yet (Bolna's call-disconnected), is left alone. Stamps each settled call's cost.
   */
  async settleEndedCalls(
    manager: EntityManager,
    calls: Call[],
  ): Promise<{
    settlements: Map<string, CallSettlement>;
    balances: Map<string, { balanceMicros: bigint; heldMicros: bigint }>;
  }> {
    const due = calls.filter(
      (call) =>
        isTerminal(call.status) &&
        call.costMicros === null &&
        (call.status !== 'completed' || call.billableSeconds !== null),
    );
    const settled = await this.wallets.settleCalls(
      manager,
      due.map((call) => {
        const terms = termsOfCall(call);
        return {
          organizationId: call.organizationId,
          callId: call.id,
          holdMicros: call.holdMicros ?? 0n,
          costMicros:
            call.status === 'completed' && terms ? callCost(call.billableSeconds ?? 0, terms) : 0n,
        };
      }),
    );
    if (due.length === 0) return settled;
    for (const call of due) call.costMicros = settled.settlements.get(call.id)!.chargedMicros;
    await manager.query(
      `UPDATE calls SET cost_micros = priced.cost_micros, updated_at = now()
         FROM unnest($1::uuid[], $2::bigint[]) AS priced(id, cost_micros)
        WHERE calls.id = priced.id`,
      [due.map((call) => call.id), due.map((call) => call.costMicros!.toString())],
    );
    return settled;
  }
}
