import {
  BadGatewayException,
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import type { IncomingWebhook } from '../providers/provider-adapter';
import { PaymentWebhookProvider } from '../webhooks/entities/webhook-event.entity';
import { WebhookEnqueuer } from '../webhooks/webhook-enqueuer';
import { WebhookEventWriter } from '../webhooks/webhook-event-writer';
import { Payment } from './entities/payment.entity';
import { PaymentEvent, PaymentWebhookParseError } from './payment-provider';
import { PaymentProviders } from './payment-providers';
import { ListPaymentsQuery, PaymentList, PaymentView, StartTopUpDto } from './payments.dto';

/** Smallest and largest top-up (Stripe's own minimum is 0.50; larger sums go by bank transfer). */
const MIN_TOPUP = 1_000_000n;
const MAX_TOPUP = 10_000_000_000n;

export const toPaymentView = (payment: Payment): PaymentView => ({
  paymentId: payment.id,
  status: payment.status,
  provider: payment.provider,
  amountMicros: payment.amountMicros.toString(),
  currency: payment.currency,
  checkoutUrl: payment.status === 'pending' ? payment.checkoutUrl : null,
  failureReason: payment.failureReason,
  transactionId: payment.ledgerTransactionId,
  createdAt: payment.createdAt.toISOString(),
  completedAt: payment.completedAt?.toISOString() ?? null,
});

/**
 * Top-ups are payments: starting one stores it (pending) and opens the provider's checkout; only
 * the provider's signed webhook, through the webhook pipeline, credits the wallet.
 */
@Injectable()
export class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly providers: PaymentProviders,
    private readonly writer: WebhookEventWriter,
    private readonly enqueuer: WebhookEnqueuer,
  ) {}

  async start(
    caller: AuthUser,
    idempotencyKey: string | undefined,
    body: StartTopUpDto,
  ): Promise<PaymentView> {
    if (!idempotencyKey || !/^[\w.:-]{8,200}$/.test(idempotencyKey)) {
      throw new BadRequestException(
        'Idempotency-Key header is required: 8 to 200 letters, digits, -, _, . or : (a UUID is a good choice)',
      );
    }
    const amount = BigInt(body.amountMicros);
    if (amount < MIN_TOPUP || amount > MAX_TOPUP)
      throw new BadRequestException(
        'amountMicros must be between 1.00 and 10,000.00 (1000000 to 10000000000)',
      );
    const provider = this.providers.active();
    if (!provider)
      throw new ServiceUnavailableException(
        'No payment provider is configured: ask the platform operator for a credit',
      );
    const repository = this.dataSource.getRepository(Payment);
    const inserted = await repository
      .createQueryBuilder()
      .insert()
      .values({
        organizationId: caller.organizationId,
        provider: provider.name,
        amountMicros: amount,
        currency: 'USD',
        idempotencyKey,
        createdBy: caller.id,
      })
      .orIgnore()
      .returning('id')
      .execute();
    const id = (inserted.raw as { id: string }[])[0]?.id;
    if (!id) {
      const existing = await repository.findOneByOrFail({
        organizationId: caller.organizationId,
        idempotencyKey,
      });
      if (existing.amountMicros !== amount)
        throw new ConflictException(
          'This Idempotency-Key was already used with a different request',
        );
      if (existing.checkoutUrl || existing.status !== 'pending') return toPaymentView(existing);
      return this.openCheckout(existing);
    }
    return this.openCheckout(await repository.findOneByOrFail({ id }));
  }

  private async openCheckout(payment: Payment): Promise<PaymentView> {
    const repository = this.dataSource.getRepository(Payment);
    let started;
    try {
      started = await this.providers.get(payment.provider).startCheckout(payment);
    } catch (error) {
      if (error instanceof BadRequestException) {
        await repository.update(
          { id: payment.id },
          { status: 'failed', failureReason: error.message, completedAt: new Date() },
        );
        throw error;
      }
      this.logger.warn(
        `payment ${payment.id}: ${payment.provider} checkout failed: ${(error as Error).message}`,
      );
      throw new BadGatewayException(
        `The payment provider (${payment.provider}) could not start the checkout; try again`,
      );
    }
    await repository.update(
      { id: payment.id },
      { providerReference: started.providerReference, checkoutUrl: started.checkoutUrl },
    );
    return toPaymentView(await repository.findOneByOrFail({ id: payment.id }));
  }

  async list(caller: AuthUser, query: ListPaymentsQuery): Promise<PaymentList> {
    const payments = await this.dataSource.getRepository(Payment).find({
      where: {
        organizationId: caller.organizationId,
        ...(query.status ? { status: query.status } : {}),
      },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: 100,
    });
    return { items: payments.map(toPaymentView) };
  }

  /** A pending simulated payment, for its checkout page (public: the unguessable id is the key). */
  async pendingSimulated(id: string): Promise<Payment> {
    if (!this.providers.simulator.isEnabled())
      throw new NotFoundException('The simulated payment provider is off');
    const payment = await this.dataSource
      .getRepository(Payment)
      .findOneBy({ id, provider: 'simulator' });
    if (!payment) throw new NotFoundException(`Payment ${id} not found`);
    return payment;
  }

  /**
   * Payment webhook ingress, as for call webhooks: verify → INSERT into webhook_events (unique
   * provider + event id: a redelivery is a no-op) → enqueue → answer. Nothing else here.
   */
  async receiveWebhook(
    webhookProvider: PaymentWebhookProvider,
    request: IncomingWebhook,
  ): Promise<{ id: string | null; duplicate: boolean }> {
    const provider = this.providers.forWebhook(webhookProvider);
    if (!provider.isEnabled())
      throw new NotFoundException(`Payment provider ${provider.name} is not configured`);
    if (!provider.verifyWebhook(request))
      throw new ForbiddenException('Webhook signature is not valid');
    let event: PaymentEvent;
    try {
      event = provider.parseWebhook(request.rawBody);
    } catch (error) {
      if (!(error instanceof PaymentWebhookParseError)) throw error;
      await this.store(
        webhookProvider,
        request,
        `rejected:${createHash('sha256').update(request.rawBody).digest('hex')}`,
        error.message,
      );
      throw new BadRequestException(error.message);
    }
    const id = await this.store(webhookProvider, request, event.dedupeKey);
    if (!id) return { id: null, duplicate: true };
    try {
      await this.enqueuer.enqueue({ eventId: id });
    } catch (error) {
      this.logger.warn(
        `payment webhook ${id} stored but not enqueued: ${(error as Error).message}`,
      );
    }
    return { id, duplicate: false };
  }

  private store(
    provider: PaymentWebhookProvider,
    request: IncomingWebhook,
    dedupeKey: string,
    rejectedBecause?: string,
  ): Promise<string | null> {
    const headers: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(request.headers))
      headers[name] = ['stripe-signature', 'webhook-signature', 'authorization', 'cookie'].includes(
        name.toLowerCase(),
      )
        ? '[redacted]'
        : value;
    return this.writer.insert({
      provider,
      dedupeKey: dedupeKey.replaceAll('\u0000', '\uFFFD').slice(0, 300),
      url: request.url,
      headers: JSON.stringify(headers),
      contentType: request.contentType.slice(0, 200) || null,
      rawBody: request.rawBody.replaceAll('\u0000', '\uFFFD'),
      state: rejectedBecause ? 'rejected' : 'received',
      lastError: rejectedBecause ?? null,
    });
  }
}
