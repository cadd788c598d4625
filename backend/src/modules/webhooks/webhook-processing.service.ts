import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError } from 'bullmq';
import { DataSource, In } from 'typeorm';
import { parseBody } from '../../common/body-parsers';
import { CallBillingService } from '../billing/call-billing.service';
import { WalletService } from '../wallet/wallet.service';
import { ContactsService } from '../contacts/contacts.service';
import { CallProgressService, ProgressResult } from '../calls/call-progress.service';
import { CallsService } from '../calls/calls.service';
import { NormalizedEvent, WebhookParseError } from '../providers/provider-adapter';
import { ProviderRegistry } from '../providers/provider-registry';
import { RealtimeMessage, RealtimePublisher } from '../realtime/realtime-publisher';
import { WebhookEvent } from './entities/webhook-event.entity';

/** No call matches the event yet (it may be committed a moment later): retried with backoff. */
export class CallNotFoundError extends Error {
  override name = 'CallNotFoundError';
}

/** Serializes a normalized event for storage (reconciliation events are stored this way). */
export function serializeNormalizedEvent(event: NormalizedEvent): string {
  return JSON.stringify(event, (_key, value: unknown) =>
    typeof value === 'bigint' ? `${value}n` : value,
  );
}

function deserializeNormalizedEvent(raw: string): NormalizedEvent {
  const event = JSON.parse(raw, (_key, value: unknown) =>
    typeof value === 'string' && /^-?\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value,
  ) as NormalizedEvent;
  return { ...event, occurredAt: new Date(event.occurredAt) };
}

export type ProcessingOutcome = 'processed' | 'skipped';

/**
 * The worker's unit of work: one stored webhook event, processed in one transaction
 * (lock the event, lock the call, state machine, timeline, mark processed); events are published
 * only after the commit.
 */
@Injectable()
export class WebhookProcessingService {
  private readonly logger = new Logger(WebhookProcessingService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly providers: ProviderRegistry,
    private readonly progress: CallProgressService,
    private readonly calls: CallsService,
    private readonly realtime: RealtimePublisher,
    private readonly billing: CallBillingService,
    private readonly wallets: WalletService,
    private readonly contacts: ContactsService,
  ) {}

  async process(eventId: string): Promise<ProcessingOutcome> {
    const toPublish: RealtimeMessage[] = [];
    const walletsToPublish = new Set<string>();
    const outcome = await this.dataSource.transaction(
      async (manager): Promise<ProcessingOutcome> => {
        const stored = await manager.findOne(WebhookEvent, {
          where: { id: eventId },
          lock: { mode: 'pessimistic_write' },
        });
        // Already done (a redelivered job, a replay racing a retry): exactly-once effects.
        if (!stored || stored.state === 'processed' || stored.state === 'rejected')
          return 'skipped';

        const event = this.normalize(stored);
        const call = await this.progress.lockCallForEvent(manager, stored.provider, event);
        if (!call) {
          throw new CallNotFoundError(
            `no ${stored.provider} call matches ${event.callId ? `call id ${event.callId} / ` : ''}provider call ${event.providerCallId}`,
          );
        }
        const result: ProgressResult = await this.progress.applyProviderEvent(
          manager,
          call,
          event,
          {
            webhookEventId: stored.id,
            receivedAt: stored.receivedAt,
          },
        );
        // The contact's last call and the money move in the same transaction as the status change, once.
        if (result.ended && call.contactId)
          await this.contacts.touchLastCalled(manager, call.contactId, call.endedAt ?? new Date());
        if (await this.billing.settleIfEnded(manager, call))
          walletsToPublish.add(call.organizationId);

        await manager.update(
          WebhookEvent,
          { id: stored.id },
          {
            state: 'processed',
            attempts: () => 'attempts + 1',
            processedAt: new Date(),
            lastError: null,
            organizationId: call.organizationId,
            callId: call.id,
          },
        );
        if (result.applied || result.enriched || walletsToPublish.size > 0) {
          toPublish.push({
            event: 'call:updated',
            organizationId: call.organizationId,
            userId: call.agentId,
            payload: await this.calls.view(manager, call.id),
          });
        }
        return 'processed';
      },
    );
    for (const message of toPublish) this.realtime.publish(message);
    for (const organizationId of walletsToPublish)
      await this.wallets.publishBalance(organizationId);
    return outcome;
  }

  /** Records a failed attempt; `final` makes the event a dead letter (visible and replayable). */
  async recordFailure(eventId: string, error: unknown, final: boolean): Promise<void> {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await this.dataSource.getRepository(WebhookEvent).update(
      { id: eventId, state: In(['received', 'retrying']) },
      {
        state: final ? 'dead' : 'retrying',
        attempts: () => 'attempts + 1',
        lastError: message.slice(0, 2000),
      },
    );
    if (final) this.logger.warn(`webhook event ${eventId} is a dead letter: ${message}`);
  }

  private normalize(stored: WebhookEvent): NormalizedEvent {
    if (stored.source === 'reconciliation') return deserializeNormalizedEvent(stored.rawBody);
    const adapter = this.providers.get(stored.provider);
    try {
      return adapter.parseWebhook({
        url: stored.url,
        query: Object.fromEntries(new URL(stored.url, 'http://stored.invalid').searchParams),
        headers: stored.headers as Record<string, string>,
        contentType: stored.contentType ?? '',
        rawBody: stored.rawBody,
        body: parseBody(stored.rawBody, stored.contentType ?? ''),
      });
    } catch (error) {
      if (error instanceof WebhookParseError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
}
