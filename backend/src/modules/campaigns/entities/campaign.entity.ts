import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { WeeklyWindow } from '../../calls/calling-hours';

export const CAMPAIGN_STATUSES = ['draft', 'running', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CAMPAIGN_PROVIDERS = ['simulator', 'exotel', 'bolna'] as const;
export type CampaignProvider = (typeof CAMPAIGN_PROVIDERS)[number];
/**
 * Why a campaign is paused: an admin did it, the wallet could not hold one more call, or the
 * platform operator suspended the organization (it resumes by itself once reinstated).
 */
export type PauseReason = 'manual' | 'wallet' | 'suspended';

export interface CampaignAudience {
  tag?: string;
  contactIds?: string[];
}

export interface CampaignSchedule {
  startAt?: string | null;
  timeZone?: string | null;
  windows?: WeeklyWindow[] | null;
}

/** A call list worked through by the engine (docs/campaigns.md). */
@Entity({ name: 'campaigns' })
@Index('campaigns_org_created_idx', ['organizationId', 'createdAt', 'id'])
@Index('campaigns_status_idx', ['status'])
export class Campaign {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  provider: CampaignProvider;

  @Column({ type: 'varchar', length: 20, default: 'draft' })
  status: CampaignStatus;

  @Column({ name: 'pause_reason', type: 'varchar', length: 20, nullable: true })
  pauseReason: PauseReason | null;

  @Column({ type: 'jsonb' })
  audience: CampaignAudience;

  @Column({ name: 'caller_id', type: 'varchar', length: 32, nullable: true })
  callerId: string | null;

  @Column({ name: 'bolna_agent_id', type: 'varchar', length: 100, nullable: true })
  bolnaAgentId: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  schedule: CampaignSchedule;

  @Column({ name: 'max_concurrent', type: 'int' })
  maxConcurrent: number;

  @Column({ name: 'per_minute', type: 'int', nullable: true })
  perMinute: number | null;

  @Column({ name: 'retry_on', type: 'text', array: true, default: () => "'{}'" })
  retryOn: string[];

  @Column({ name: 'max_attempts', type: 'int', default: 1 })
  maxAttempts: number;

  @Column({ name: 'retry_delay_seconds', type: 'int', default: 0 })
  retryDelaySeconds: number;

  /** The distinct `country|zone` keys of its contacts, set at start (the scheduler's windows). */
  @Column({ name: 'zone_keys', type: 'text', array: true, default: () => "'{}'" })
  zoneKeys: string[];

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
