import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from '../../../database/money.transformer';

/**
 * queued: released by the scheduler, its job not run yet; placing: its call and hold exist, the
 * provider is being asked; live: the provider has it; ended: the call is terminal.
 */
export const ATTEMPT_STATES = ['queued', 'placing', 'live', 'ended'] as const;
export type AttemptState = (typeof ATTEMPT_STATES)[number];

/** One placement of one campaign contact: exactly one per (contact, attempt number). */
@Entity({ name: 'campaign_attempts' })
@Index('campaign_attempts_contact_attempt_key', ['campaignContactId', 'attempt'], { unique: true })
@Index('campaign_attempts_campaign_state_idx', ['campaignId', 'state'])
@Index('campaign_attempts_campaign_created_idx', ['campaignId', 'createdAt'])
@Index('campaign_attempts_call_key', ['callId'], { unique: true })
export class CampaignAttempt {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Column({ name: 'campaign_contact_id', type: 'uuid' })
  campaignContactId: string;

  @Column({ type: 'int' })
  attempt: number;

  @Column({ type: 'varchar', length: 20, default: 'queued' })
  state: AttemptState;

  @Column({ name: 'call_id', type: 'uuid', nullable: true })
  callId: string | null;

  /** The call's terminal status once it ended. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  status: string | null;

  /** What its call was charged, once known. */
  @Column({ name: 'cost_micros', type: 'bigint', nullable: true, transformer: bigintTransformer })
  costMicros: bigint | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;
}
