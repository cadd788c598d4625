import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** pending: waits for its next attempt; in_flight: an attempt is queued or live; done; skipped. */
export const CAMPAIGN_CONTACT_STATES = ['pending', 'in_flight', 'done', 'skipped'] as const;
export type CampaignContactState = (typeof CAMPAIGN_CONTACT_STATES)[number];
export const SKIP_REASONS = [
  'dnc',
  'outside_hours',
  'no_rate',
  'invalid_number',
  'retries_exhausted',
  'cancelled',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** One contact of a campaign, snapshotted when it starts (later edits of the contact do not move it). */
@Entity({ name: 'campaign_contacts' })
@Index('campaign_contacts_campaign_contact_key', ['campaignId', 'contactId'], { unique: true })
@Index('campaign_contacts_campaign_seq_key', ['campaignId', 'seq'], { unique: true })
@Index('campaign_contacts_due_idx', ['campaignId', 'state', 'nextAttemptAt', 'seq'])
export class CampaignContact {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'contact_id', type: 'uuid' })
  contactId: string;

  /** 1..N in snapshot order: the keyset of every page. */
  @Column({ type: 'int' })
  seq: number;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  phone: string;

  @Column({ type: 'char', length: 2, nullable: true })
  country: string | null;

  /** `country|zone` (zone `XX*`: every zone of XX), see calling-hours.ts. */
  @Column({ name: 'zone_key', type: 'varchar', length: 80 })
  zoneKey: string;

  /** Contact fields passed to a Bolna agent as its variables. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  variables: Record<string, string>;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  state: CampaignContactState;

  /** The status of its last call (completed, busy, no_answer, failed, cancelled). */
  @Column({ type: 'varchar', length: 20, nullable: true })
  outcome: string | null;

  @Column({ name: 'skip_reason', type: 'varchar', length: 30, nullable: true })
  skipReason: SkipReason | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column({ name: 'last_call_id', type: 'uuid', nullable: true })
  lastCallId: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
