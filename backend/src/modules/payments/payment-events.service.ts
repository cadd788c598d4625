import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { EntityManager } from 'typeorm';
import { hydrate } from '../../database/raw-rows';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { User } from '../auth/entities/user.entity';
import { LedgerService } from '../wallet/ledger.service';
import { isPaymentWebhook, WebhookEvent } from '../webhooks/entities/webhook-event.entity';
import { Payment } from './entities/payment.entity';
import { PaymentWebhookParseError } from './payment-provider';
import { PaymentProviders } from './payment-providers';

/** A payment that credited its wallet in this batch (published as `payment:updated`). */
export interface SucceededPayment {
  id: string;
  organizationId: string;
  provider: string;
  status: 'succeeded';
  amountMicros: string;
  currency: string;
  providerReference: string | null;
  completedAt: string;
}

/** What a batch's payment events did: the wallets and payments to publish after the commit. */
export interface AppliedPayments {
  balances: Map<string, { balanceMicros: bigint; heldMicros: bigint }>;
  succeeded: SucceededPayment[];
}

/**
 * The worker's payment step (called by WebhookProcessingService inside the batch's transaction,
 * with the events already locked): each payment webhook moves its payment out of pending once.
 * The payment row is locked, and the credit's ledger key is the payment's own
 * (`payment:{id}:topup`), so however many times a success is delivered, replayed or processed
 * concurrently, the wallet is credited once. The credit writes its audit row (`wallet.topped_up`,
 * by the user who started the payment) in the same transaction, so it is audited exactly once too.
 */
@Injectable()
export class PaymentEventsService {
  private readonly logger = new Logger(PaymentEventsService.name);

  constructor(
    private readonly providers: PaymentProviders,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  /** Splits locked event rows into call events and payment events. */
  static partition(
    rows: Record<string, unknown>[],
  ): [calls: Record<string, unknown>[], payments: Record<string, unknown>[]] {
    const calls: Record<string, unknown>[] = [];
    const payments: Record<string, unknown>[] = [];
    for (const row of rows) (isPaymentWebhook(row.provider as never) ? payments : calls).push(row);
    return [calls, payments];
  }

  async apply(
    manager: EntityManager,
    rows: Record<string, unknown>[],
    results: Map<string, 'processed' | 'skipped' | Error>,
  ): Promise<AppliedPayments> {
    const balances: AppliedPayments['balances'] = new Map();
    const succeeded: SucceededPayment[] = [];
    const stored = rows
      .map((row) => hydrate(manager, WebhookEvent, row))
      .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.id.localeCompare(b.id));
    for (const event of stored) {
      if (event.state === 'processed' || event.state === 'rejected') {
        results.set(event.id, 'skipped');
        continue;
      }
      if (!isPaymentWebhook(event.provider)) continue;
      let parsed;
      try {
        parsed = this.providers.forWebhook(event.provider).parseWebhook(event.rawBody);
      } catch (error) {
        results.set(
          event.id,
          error instanceof PaymentWebhookParseError
            ? new UnrecoverableError(error.message)
            : (error as Error),
        );
        continue;
      }
      const organizationId = await this.applyOne(manager, event, parsed, balances, succeeded);
      await manager.query(
        `UPDATE webhook_events SET state = 'processed', attempts = attempts + 1, processed_at = now(),
                last_error = NULL, organization_id = $2 WHERE id = $1`,
        [event.id, organizationId],
      );
      results.set(event.id, 'processed');
    }
    return { balances, succeeded };
  }

  /**
   * Who paid: the user who started the payment is the top-up's actor (the provider's webhook
   * only confirms it); null (`system`) when that user is gone.
   */
  private async payer(manager: EntityManager, payment: Payment): Promise<AuthUser | null> {
    if (!payment.createdBy) return null;
    const user = await manager.findOne(User, {
      where: { id: payment.createdBy },
      select: { id: true, email: true, role: true },
    });
    return user
      ? { id: user.id, email: user.email, role: user.role, organizationId: payment.organizationId }
      : null;
  }

  /** Applies one event to its payment (locked); returns the payment's organization, if any. */
  private async applyOne(
    manager: EntityManager,
    event: WebhookEvent,
    parsed: ReturnType<PaymentProviders['stripe']['parseWebhook']>,
    balances: AppliedPayments['balances'],
    succeeded: SucceededPayment[],
  ): Promise<string | null> {
    if (!parsed.paymentId && !parsed.providerReference) return null;
    const provider = event.provider === 'stripe' ? 'stripe' : 'simulator';
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT * FROM payments
        WHERE provider = $1 AND (id::text = $2 OR provider_reference = $3)
        ORDER BY id LIMIT 1 FOR UPDATE`,
      [provider, parsed.paymentId ?? '', parsed.providerReference ?? ''],
    );
    if (!rows[0]) {
      // Another integration's session on the same Stripe account, or a payment of another
      // installation: recorded, applies nothing.
      this.logger.log(
        `${event.provider} event ${parsed.dedupeKey} (${parsed.type}) names no payment of ours`,
      );
      return null;
    }
    const payment = hydrate(manager, Payment, rows[0]);
    if (parsed.outcome === 'ignored' || payment.status !== 'pending') return payment.organizationId;
    if (parsed.outcome !== 'succeeded') {
      await manager.update(
        Payment,
        { id: payment.id },
        {
          status: parsed.outcome,
          failureReason: parsed.type,
          completedAt: new Date(),
        },
      );
      return payment.organizationId;
    }
    if (parsed.amountMicros !== null && parsed.amountMicros !== payment.amountMicros) {
      await manager.update(
        Payment,
        { id: payment.id },
        {
          status: 'failed',
          failureReason: `${parsed.type} for ${parsed.amountMicros} micros, not the ${payment.amountMicros} started`,
          completedAt: new Date(),
        },
      );
      this.logger.warn(
        `payment ${payment.id}: provider amount ${parsed.amountMicros} ≠ ${payment.amountMicros}`,
      );
      return payment.organizationId;
    }
    const wallet = await this.ledger.ensureWallet(manager, payment.organizationId);
    const funding = await this.ledger.platformAccount(manager, 'topup_funding', wallet.currency);
    const posted = await this.ledger.post(
      manager,
      {
        organizationId: payment.organizationId,
        kind: 'topup',
        idempotencyKey: `payment:${payment.id}:topup`,
        createdBy: payment.createdBy,
        reason: `${provider === 'stripe' ? 'Card payment' : 'Simulated payment'} ${parsed.providerReference ?? payment.id}`,
        legs: [
          { accountId: funding, amountMicros: -payment.amountMicros },
          { accountId: wallet.walletAccountId, amountMicros: payment.amountMicros },
        ],
      },
      wallet,
    );
    const completedAt = new Date();
    await manager.update(
      Payment,
      { id: payment.id },
      {
        status: 'succeeded',
        ledgerTransactionId: posted.id,
        completedAt,
      },
    );
    // Once per payment, like the credit (the payment is locked and was pending).
    await this.audit.record(manager, {
      actor: await this.payer(manager, payment),
      organizationId: payment.organizationId,
      action: 'wallet.topped_up',
      target: { type: 'organization', id: payment.organizationId },
      before: { balanceMicros: posted.balanceAfterMicros - payment.amountMicros },
      after: {
        balanceMicros: posted.balanceAfterMicros,
        amountMicros: payment.amountMicros,
        paymentId: payment.id,
        provider: payment.provider,
        providerReference: payment.providerReference ?? parsed.providerReference ?? null,
        transactionId: posted.id,
      },
    });
    succeeded.push({
      id: payment.id,
      organizationId: payment.organizationId,
      provider: payment.provider,
      status: 'succeeded',
      amountMicros: payment.amountMicros.toString(),
      currency: payment.currency,
      providerReference: payment.providerReference ?? parsed.providerReference ?? null,
      completedAt: completedAt.toISOString(),
    });
    balances.set(payment.organizationId, {
      balanceMicros: posted.balanceAfterMicros,
      heldMicros: posted.heldAfterMicros,
    });
    return payment.organizationId;
  }
}
