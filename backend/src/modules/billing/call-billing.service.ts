import { ForbiddenException, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { PaymentRequiredException } from '../../common/errors';
import { formatMoney } from '../../common/money';
import { isTerminal } from '../calls/call-status';
import { Call } from '../calls/entities/call.entity';
import { CallSettlement, SettlementPlan, WalletService } from '../wallet/wallet.service';
import { updateById } from '../../database/raw-rows';
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

/** 403: the platform operator suspended the organization; it places no calls until reinstated. */
export class OrganizationSuspendedException extends ForbiddenException {
  constructor() {
    super('This organization is suspended: it cannot place calls until the operator reinstates it');
  }
}

/** Throws OrganizationSuspendedException when the organization is suspended (hook for any caller). */
export async function assertNotSuspended(
  manager: EntityManager,
  organizationId: string,
): Promise<void> {
  const rows: { suspended: boolean }[] = await manager.query(
    'SELECT suspended_at IS NOT NULL AS suspended FROM organizations WHERE id = $1',
    [organizationId],
  );
  if (rows[0]?.suspended) throw new OrganizationSuspendedException();
}

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
    // Every call's money starts here (the dialer, server-placed calls, campaigns): the one place
    // that refuses calls of a suspended organization.
    await assertNotSuspended(manager, call.organizationId);
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
        `Insufficient balance: a call to ${call.toNumber} needs at least ${formatMoney(callCost(1, terms), wallet.currency, 'exact')}; available ${formatMoney(available, wallet.currency)}`,
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

  /**
   * In the caller's transaction (the call row locked): settles one call if it has ended (see
   * priceEndedCalls) and stamps its cost. Returns null when the call was not due.
   */
  async settleIfEnded(manager: EntityManager, call: Call): Promise<CallSettlement | null> {
    const plan = await this.priceEndedCalls(manager, [call]);
    if (plan.settlements.size === 0) return null;
    const { settlements } = await this.wallets.postSettlements(manager, plan);
    await updateById(manager, Call, call.id, { costMicros: call.costMicros });
    return settlements.get(call.id)!;
  }

  /**
   * In the caller's transaction (the call rows locked): prices the calls that have ended and whose
   * talk time is known, from the provider's own duration, and plans their settlement (wallets
   * locked, nothing written yet). Unanswered endings cost nothing. A call already priced, or whose
   * duration has not arrived yet (Bolna's call-disconnected), is left alone. Each priced call's
   * `costMicros` is set in memory: the caller writes it with the call and posts the plan
   * (WalletService.postSettlements) in the same transaction.
   */
  async priceEndedCalls(manager: EntityManager, calls: Call[]): Promise<SettlementPlan> {
    const due = calls.filter(
      (call) =>
        isTerminal(call.status) &&
        call.costMicros === null &&
        (call.status !== 'completed' || call.billableSeconds !== null),
    );
    const plan = await this.wallets.planSettlements(
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
    for (const call of due) call.costMicros = plan.settlements.get(call.id)!.chargedMicros;
    return plan;
  }
}
