import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { QueueName } from '../../queue/queue-name';
import { REDIS } from '../../redis/redis.module';
import { CallsService } from '../calls/calls.service';
import { TERMINAL_STATUSES } from '../calls/call-status';
import { Published, RealtimeEvents } from '../realtime/realtime-events';
import { WalletService } from '../wallet/wallet.service';
import { EndpointDirectory } from './endpoint-directory';
import { DELIVER_WEBHOOK, DeliverWebhookJob, deliveryJobOptions } from './outbound-delivery-job';
import { OutboundEventType } from './outbound-events';

/** One outbound event, before it is fanned out to the endpoints that subscribe to it. */
export interface OutboundEvent {
  organizationId: string;
  type: OutboundEventType;
  data: unknown;
  /** For events that happen once: a second publication of the same key delivers nothing. */
  key?: string;
}

interface CallPayload {
  id: string;
  status: string;
}

const THRESHOLD_TTL_MS = 30_000;
const LOW_BALANCE_KEY = (organizationId: string) => `outbound-webhooks:low:${organizationId}`;

/**
 * Turns what the realtime publisher sent (after each commit, in whichever process) into outbound
 * webhook deliveries: one row per subscribed endpoint and one job each, written in bulk once per
 * event-loop turn. An organization without endpoints costs one map lookup per message.
 */
@Injectable()
export class OutboundEventProducer {
  private readonly logger = new Logger(OutboundEventProducer.name);
  private pending: OutboundEvent[] = [];
  private outcomeCandidates: { organizationId: string; callId: string }[] = [];
  private walletCandidates: { organizationId: string; payload: Record<string, string> }[] = [];
  private scheduled = false;
  private inFlight = new Set<Promise<void>>();
  private thresholds = new Map<string, { micros: bigint; at: number }>();

  constructor(
    events: RealtimeEvents,
    private readonly directory: EndpointDirectory,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.OutboundWebhooks) private readonly queue: Queue<DeliverWebhookJob>,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly calls: CallsService,
    private readonly wallets: WalletService,
  ) {
    events.on('published', (message) => this.onPublished(message));
  }

  private subscribed(organizationId: string, type: OutboundEventType): boolean {
    return this.directory.endpointsOf(organizationId).some(({ events }) => events.has(type));
  }

  private onPublished({ event, organizationId, payload }: Published): void {
    if (this.directory.endpointsOf(organizationId).length === 0) return;
    switch (event) {
      case 'call:created':
        this.add({ organizationId, type: 'call.created', data: payload });
        break;
      case 'call:updated': {
        const call = payload as CallPayload;
        this.add({ organizationId, type: 'call.updated', data: payload });
        if ((TERMINAL_STATUSES as readonly string[]).includes(call.status)) {
          this.add({
            organizationId,
            type: 'call.completed',
            data: payload,
            key: `call.completed:${call.id}`,
          });
          if (this.subscribed(organizationId, 'call.outcome')) {
            this.outcomeCandidates.push({ organizationId, callId: call.id });
            this.schedule();
          }
        }
        break;
      }
      case 'campaign:updated':
        this.add({ organizationId, type: 'campaign.updated', data: payload });
        break;
      case 'wallet:updated':
        if (this.subscribed(organizationId, 'wallet.low_balance')) {
          this.walletCandidates.push({
            organizationId,
            payload: payload as Record<string, string>,
          });
          this.schedule();
        }
        break;
      case 'payment:updated': {
        const payment = payload as { id: string; status: string };
        if (payment.status === 'succeeded')
          this.add({
            organizationId,
            type: 'payment.succeeded',
            data: payload,
            key: `payment.succeeded:${payment.id}`,
          });
        break;
      }
    }
  }

  /** Queues an event for the organization's subscribed endpoints (written at the end of the turn). */
  add(event: OutboundEvent): void {
    if (!this.subscribed(event.organizationId, event.type)) return;
    this.pending.push(event);
    this.schedule();
  }

  /** Resolves once everything published so far is written and enqueued (tests, shutdown). */
  async drained(): Promise<void> {
    while (this.scheduled || this.inFlight.size) {
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.all([...this.inFlight]);
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const events = this.pending;
      const outcomes = this.outcomeCandidates;
      const wallets = this.walletCandidates;
      this.pending = [];
      this.outcomeCandidates = [];
      this.walletCandidates = [];
      const work = this.flush(events, outcomes, wallets)
        .catch((error: Error) =>
          this.logger.warn(`outbound webhook events not queued: ${error.message}`),
        )
        .finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
    });
  }

  private async flush(
    events: OutboundEvent[],
    outcomes: { organizationId: string; callId: string }[],
    wallets: { organizationId: string; payload: Record<string, string> }[],
  ): Promise<void> {
    const derived = await Promise.all([
      ...uniqueBy(outcomes, ({ callId }) => callId).map((candidate) =>
        this.outcomeEvent(candidate),
      ),
      ...lastBy(wallets, ({ organizationId }) => organizationId).map((candidate) =>
        this.lowBalanceEvent(candidate),
      ),
    ]);
    const all = [...events, ...derived.filter((event) => event !== null)];
    if (all.length === 0) return;
    await this.enqueue(all);
  }

  /** `call.outcome` once the call is final (the provider's artifacts arrived), once per call. */
  private async outcomeEvent({
    organizationId,
    callId,
  }: {
    organizationId: string;
    callId: string;
  }): Promise<OutboundEvent | null> {
    const detail = await this.calls.get(
      { id: '', organizationId, role: 'admin', email: '' },
      callId,
    );
    if (!detail.final) return null;
    const { timeline: _timeline, ...data } = detail;
    return { organizationId, type: 'call.outcome', data, key: `call.outcome:${callId}` };
  }

  /** `wallet.low_balance` when available falls below the threshold (once per crossing). */
  private async lowBalanceEvent({
    organizationId,
    payload,
  }: {
    organizationId: string;
    payload: Record<string, string>;
  }): Promise<OutboundEvent | null> {
    const threshold = await this.threshold(organizationId);
    const available = BigInt(payload.availableMicros ?? '0');
    const key = LOW_BALANCE_KEY(organizationId);
    if (available >= threshold) {
      await this.redis.del(key);
      return null;
    }
    // Set while low: the next crossing (after a top-up) warns again, not every call while low.
    const first = await this.redis.set(key, '1', 'EX', 30 * 24 * 3600, 'NX');
    if (first !== 'OK') return null;
    return {
      organizationId,
      type: 'wallet.low_balance',
      data: { ...payload, lowBalanceThresholdMicros: threshold.toString() },
    };
  }

  private async threshold(organizationId: string): Promise<bigint> {
    const cached = this.thresholds.get(organizationId);
    if (cached && Date.now() - cached.at < THRESHOLD_TTL_MS) return cached.micros;
    const micros = await this.wallets.lowBalanceThresholdMicros(organizationId);
    this.thresholds.set(organizationId, { micros, at: Date.now() });
    return micros;
  }

  /**
   * One INSERT for every (event, endpoint), skipping once-only events already delivered, then one
   * addBulk for the rows written.
   */
  async enqueue(events: OutboundEvent[]): Promise<string[]> {
    const rows: unknown[][] = [];
    const timestamp = new Date().toISOString();
    for (const event of events) {
      const body = JSON.stringify({ type: event.type, timestamp, data: event.data });
      for (const endpoint of this.directory.endpointsOf(event.organizationId)) {
        if (!endpoint.events.has(event.type)) continue;
        const id = randomUUID();
        rows.push([
          id,
          endpoint.id,
          event.organizationId,
          `msg_${id.replaceAll('-', '')}`,
          event.type,
          event.key ?? null,
          body,
        ]);
      }
    }
    if (rows.length === 0) return [];
    const inserted: { id: string }[] = await this.dataSource.query(
      `INSERT INTO webhook_deliveries (id, endpoint_id, organization_id, message_id, event_type, event_key, body)
       SELECT d.id, d.endpoint_id, d.organization_id, d.message_id, d.event_type, d.event_key, d.body
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[])
              AS d(id, endpoint_id, organization_id, message_id, event_type, event_key, body)
         JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
       ON CONFLICT (endpoint_id, event_key) WHERE event_key IS NOT NULL DO NOTHING
       RETURNING id`,
      [0, 1, 2, 3, 4, 5, 6].map((column) => rows.map((row) => row[column])),
    );
    const ids = inserted.map(({ id }) => id);
    await this.queue.addBulk(
      ids.map((deliveryId) => ({
        name: DELIVER_WEBHOOK,
        data: { deliveryId },
        opts: deliveryJobOptions(this.config, deliveryId),
      })),
    );
    return ids;
  }
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

/** The last item of each key (the latest balance of each wallet). */
const lastBy = uniqueBy;
