import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  ManyToOne,
  JoinColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export const DELIVERY_STATUSES = ['pending', 'retrying', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One event for one endpoint (its `webhook-id` is the message id, the same on every attempt and
 * resend, so receivers can deduplicate). Deleted with its endpoint, which stops its retries.
 */
@Entity({ name: 'webhook_deliveries' })
@Index('webhook_deliveries_endpoint_created_idx', ['endpointId', 'createdAt', 'id'])
@Index('webhook_deliveries_endpoint_event_key', ['endpointId', 'eventKey'], {
  unique: true,
  where: '"event_key" IS NOT NULL',
})
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId: string;

  @ManyToOne(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id' })
  endpoint?: WebhookEndpoint;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** The `webhook-id` header: `msg_` + the delivery's id without dashes. */
  @Column({ name: 'message_id', type: 'varchar', length: 64 })
  messageId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 40 })
  eventType: string;

  /** Events that happen once (`call.completed`) carry a key: a second publication delivers nothing. */
  @Column({ name: 'event_key', type: 'varchar', length: 200, nullable: true })
  eventKey: string | null;

  /** The exact JSON body sent (what was signed). */
  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 1000, nullable: true })
  lastError: string | null;

  // Milliseconds, so a keyset cursor built from a JS Date matches the row exactly (one INSERT
  // writes a batch of deliveries with the same time).
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;
}
