import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PROVIDER_NAMES, ProviderName } from '../../providers/provider-adapter';
import { CALL_STATUSES, CallStatus } from '../call-status';
import { Call } from './call.entity';

/** One line of a call's timeline: every provider event, applied or not, and why. */
@Entity({ name: 'call_events' })
@Index('call_events_call_idx', ['callId', 'occurredAt'])
export class CallEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'call_id', type: 'uuid' })
  callId: string;

  @ManyToOne(() => Call, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'call_id' })
  call?: Call;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** The stored webhook this came from (null for events Switchboard made itself, e.g. call placed). */
  @Index('call_events_webhook_event_idx')
  @Column({ name: 'webhook_event_id', type: 'uuid', nullable: true })
  webhookEventId: string | null;

  @Column({ type: 'enum', enum: PROVIDER_NAMES, enumName: 'provider_name' })
  provider: ProviderName;

  @Column({ name: 'raw_status', type: 'varchar', length: 64 })
  rawStatus: string;

  /** null: the provider's status is unknown to Switchboard. */
  @Column({ type: 'enum', enum: CALL_STATUSES, enumName: 'call_status', nullable: true })
  status: CallStatus | null;

  @Column({ type: 'boolean' })
  applied: boolean;

  /** applied, same_status, lower_rank, already_terminal, older_sequence, unknown_status; `+enriched` when facts were added. */
  @Column({ type: 'varchar', length: 64 })
  outcome: string;

  @Column({ type: 'integer', nullable: true })
  sequence: number | null;

  /** Facts the event carried (duration, recording, provider cost), as reported. */
  @Column({ type: 'jsonb', default: {} })
  facts: Record<string, string | number | boolean | null>;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;
}
