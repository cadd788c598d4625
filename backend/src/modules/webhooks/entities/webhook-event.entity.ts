import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { PROVIDER_NAMES } from '../../providers/provider-adapter';

export const WEBHOOK_EVENT_STATES = [
  'received',
  'processed',
  'retrying',
  'dead',
  'rejected',
] as const;
/**
 * received: stored and queued; processed: applied (or recorded as not applicable);
 * retrying: the last attempt failed, another is scheduled; dead: out of attempts (replayable);
 * rejected: verified but malformed, kept for the record and never processed.
 */
export type WebhookEventState = (typeof WEBHOOK_EVENT_STATES)[number];

/** Who sent a stored webhook: a call provider, or a payment provider (see modules/payments). */
export const WEBHOOK_PROVIDERS = [...PROVIDER_NAMES, 'stripe', 'payment_simulator'] as const;
export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];
export const PAYMENT_WEBHOOK_PROVIDERS = ['stripe', 'payment_simulator'] as const;
export type PaymentWebhookProvider = (typeof PAYMENT_WEBHOOK_PROVIDERS)[number];
export const isPaymentWebhook = (provider: WebhookProvider): provider is PaymentWebhookProvider =>
  (PAYMENT_WEBHOOK_PROVIDERS as readonly string[]).includes(provider);

export const WEBHOOK_EVENT_SOURCES = ['webhook', 'reconciliation'] as const;
export type WebhookEventSource = (typeof WEBHOOK_EVENT_SOURCES)[number];

/** The durable store of every provider request that passed verification, raw. */
@Entity({ name: 'webhook_events' })
@Index('webhook_events_provider_dedupe_key', ['provider', 'dedupeKey'], { unique: true })
@Index('webhook_events_pending_idx', ['receivedAt'], {
  where: `"state" IN ('received', 'retrying')`,
})
@Index('webhook_events_org_idx', ['organizationId', 'receivedAt'])
// The Providers page counts the last day's rejected requests (they never belong to an organization).
@Index('webhook_events_rejected_idx', ['receivedAt'], { where: `"state" = 'rejected'` })
export class WebhookEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'enum', enum: WEBHOOK_PROVIDERS, enumName: 'webhook_provider' })
  provider: WebhookProvider;

  @Column({
    type: 'enum',
    enum: WEBHOOK_EVENT_SOURCES,
    enumName: 'webhook_event_source',
    default: 'webhook',
  })
  source: WebhookEventSource;

  /** For rejected requests, a key derived from the raw body (they have no usable identity). */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 300 })
  dedupeKey: string;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'jsonb' })
  headers: Record<string, unknown>;

  @Column({ name: 'content_type', type: 'varchar', length: 200, nullable: true })
  contentType: string | null;

  @Column({ name: 'raw_body', type: 'text' })
  rawBody: string;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  @Column({
    type: 'enum',
    enum: WEBHOOK_EVENT_STATES,
    enumName: 'webhook_event_state',
    default: 'received',
  })
  state: WebhookEventState;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  /** Known once the event is matched to a call. */
  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  @Column({ name: 'call_id', type: 'uuid', nullable: true })
  callId: string | null;
}
