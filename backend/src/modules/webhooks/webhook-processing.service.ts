import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError } from 'bullmq';
import { DataSource, In } from 'typeorm';
import { parseBody } from '../../common/body-parsers';
import { hydrate } from '../../database/raw-rows';
import { CallBillingService } from '../billing/call-billing.service';
import { CallSettlement, WalletService } from '../wallet/wallet.service';
import { ContactsService } from '../contacts/contacts.service';
import { CallProgressService, ProgressResult } from '../calls/call-progress.service';
import { CallsService } from '../calls/calls.service';
import { NormalizedEvent, WebhookParseError } from '../providers/provider-adapter';
import { ProviderRegistry } from '../providers/provider-registry';
import { RealtimePublisher } from '../realtime/realtime-publisher';
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
    let changedCall: { id: string; organizationId: string; agentId: string | null } | undefined;
    let settlement: CallSettlement | null = null;
    const outcome = await this.dataSource.transaction(
      async (manager): Promise<ProcessingOutcome> => {
        const locked: Record<string, unknown>[] = await manager.query(
          'SELECT * FROM webhook_events WHERE id = $1 FOR UPDATE',
          [eventId],
        );
        const stored = locked[0] ? hydrate(manager, WebhookEvent, locked[0]) : null;
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
        if (result.ended && call.contactId) {
          await this.contacts.touchLastCalled(manager, call.contactId, call.endedAt ?? new Date());
        }
        await manager.query(
          `UPDATE webhook_events SET state = 'processed', attempts = attempts + 1, processed_at = now(),
                  last_error = NULL, organization_id = $2, call_id = $3 WHERE id = $1`,
          [stored.id, call.organizationId, call.id],
        );
        // Money last: the wallet row stays locked only for the end of this transaction.
        settlement = await this.billing.settleIfEnded(manager, call);
        if (result.applied || result.enriched || settlement) {
          changedCall = { id: call.id, organizationId: call.organizationId, agentId: call.agentId };
        }
        return 'processed';
      },
    );

    // Published only after the commit; a failure here must not make the (committed) job retry.
    try {
      if (changedCall) {
        this.realtime.publish({
          event: 'call:updated',
          organizationId: changedCall.organizationId,
          userId: changedCall.agentId,
          payload: await this.calls.view(this.dataSource.manager, changedCall.id),
        });
      }
      const moved = settlement as CallSettlement | null;
      if (changedCall && moved?.balanceAfter) {
        await this.wallets.publishBalance(changedCall.organizationId, moved.balanceAfter);
      }
      if (moved && moved.shortfallMicros > 0n && changedCall) {
        this.logger.warn(
          `call ${changedCall.id} talked beyond what its wallet could pay: ${moved.shortfallMicros} micros not charged`,
        );
      }
    } catch (error) {
      this.logger.warn(
        `event ${eventId} processed, but its socket events were not sent: ${(error as Error).message}`,
      );
    }
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
