import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { bigintTransformer } from '../../../database/money.transformer';
import { Organization } from '../../auth/entities/organization.entity';
import { User } from '../../auth/entities/user.entity';
import { Contact } from '../../contacts/entities/contact.entity';
import { PROVIDER_NAMES, ProviderName } from '../../providers/provider-adapter';
import { CALL_STATUSES, CallStatus } from '../call-status';

export const CALL_DIRECTIONS = ['outbound', 'inbound'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

@Entity({ name: 'calls' })
// History: newest first per organization, and per value of each filter the console offers
// (keyset on created_at, id), so a filtered page is read in order from its own index however rare
// the value; PostgreSQL combines them (or walks the most selective) when several are set.
@Index('calls_org_created_idx', ['organizationId', 'createdAt', 'id'])
@Index('calls_org_agent_created_idx', ['organizationId', 'agentId', 'createdAt', 'id'])
@Index('calls_org_status_created_idx', ['organizationId', 'status', 'createdAt', 'id'])
@Index('calls_org_provider_created_idx', ['organizationId', 'provider', 'createdAt', 'id'])
@Index('calls_org_country_created_idx', ['organizationId', 'country', 'createdAt', 'id'])
@Index('calls_org_direction_created_idx', ['organizationId', 'direction', 'createdAt', 'id'])
@Index('calls_org_contact_created_idx', ['organizationId', 'contactId', 'createdAt', 'id'])
// Number search reads `call_search` (see the CallReadsAtScale migration), not an index of calls.
// One call per provider call id; null until the provider names it.
@Index('calls_provider_call_id_key', ['provider', 'providerCallId'], {
  unique: true,
  where: '"provider_call_id" IS NOT NULL',
})
// Reconciliation looks for calls left non-terminal.
@Index('calls_active_idx', ['statusUpdatedAt'], {
  where: `"status" IN ('initiated', 'ringing', 'in_progress')`,
})
export class Call {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  /** The user who placed the call (agent or admin). */
  @Column({ name: 'agent_id', type: 'uuid', nullable: true })
  agentId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'agent_id' })
  agent?: User | null;

  /** Linked at creation when the dialed number belongs to a contact. */
  @Column({ name: 'contact_id', type: 'uuid', nullable: true })
  contactId: string | null;

  @ManyToOne(() => Contact, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'contact_id' })
  contact?: Contact | null;

  @Column({ type: 'enum', enum: PROVIDER_NAMES, enumName: 'provider_name' })
  provider: ProviderName;

  @Column({ name: 'provider_call_id', type: 'varchar', length: 128, nullable: true })
  providerCallId: string | null;

  /** Twilio browser calls: the agent's own (parent) leg. */
  @Index('calls_parent_provider_call_id_idx', { where: '"parent_provider_call_id" IS NOT NULL' })
  @Column({ name: 'parent_provider_call_id', type: 'varchar', length: 128, nullable: true })
  parentProviderCallId: string | null;

  @Column({ type: 'enum', enum: CALL_DIRECTIONS, enumName: 'call_direction', default: 'outbound' })
  direction: CallDirection;

  @Column({ name: 'from_number', type: 'varchar', length: 32, nullable: true })
  fromNumber: string | null;

  @Column({ name: 'to_number', type: 'varchar', length: 32 })
  toNumber: string;

  /** ISO 3166 alpha-2 of the dialed number. */
  @Column({ type: 'char', length: 2, nullable: true })
  country: string | null;

  @Column({ type: 'enum', enum: CALL_STATUSES, enumName: 'call_status', default: 'initiated' })
  status: CallStatus;

  @Column({ name: 'raw_status', type: 'varchar', length: 64, nullable: true })
  rawStatus: string | null;

  /** Highest provider sequence number applied (Twilio SequenceNumber). */
  @Column({ name: 'last_sequence', type: 'integer', nullable: true })
  lastSequence: number | null;

  /** Millisecond precision, so a keyset cursor built from a JS Date matches the row exactly. */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'status_updated_at', type: 'timestamptz', default: () => 'now()' })
  statusUpdatedAt: Date;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  /** Longest the call may last (the affordable duration); providers cut the call there. */
  @Column({ name: 'time_limit_seconds', type: 'integer', nullable: true })
  timeLimitSeconds: number | null;

  /** Talk time as the provider reports it, in seconds. */
  @Column({ name: 'billable_seconds', type: 'integer', nullable: true })
  billableSeconds: number | null;

  /** What Switchboard charges the organization, in micros (filled by billing). */
  @Column({ name: 'cost_micros', type: 'bigint', nullable: true, transformer: bigintTransformer })
  costMicros: bigint | null;

  /** What the provider charged us, in micros of `provider_currency`. */
  @Column({
    name: 'provider_cost_micros',
    type: 'bigint',
    nullable: true,
    transformer: bigintTransformer,
  })
  providerCostMicros: bigint | null;

  @Column({ name: 'provider_currency', type: 'char', length: 3, nullable: true })
  providerCurrency: string | null;

  /** Money reserved on the wallet when the call was placed (the longest affordable call). */
  @Column({ name: 'hold_micros', type: 'bigint', nullable: true, transformer: bigintTransformer })
  holdMicros: bigint | null;

  /** The rate in force when the call was placed: a later change of the deck does not reprice it. */
  @Column({ name: 'rate_prefix', type: 'varchar', length: 15, nullable: true })
  ratePrefix: string | null;

  @Column({
    name: 'rate_per_minute_micros',
    type: 'bigint',
    nullable: true,
    transformer: bigintTransformer,
  })
  ratePerMinuteMicros: bigint | null;

  @Column({ name: 'rate_initial_increment', type: 'integer', nullable: true })
  rateInitialIncrement: number | null;

  @Column({ name: 'rate_subsequent_increment', type: 'integer', nullable: true })
  rateSubsequentIncrement: number | null;

  @Column({ name: 'rate_minimum_seconds', type: 'integer', nullable: true })
  rateMinimumSeconds: number | null;

  @Column({ name: 'recording_url', type: 'text', nullable: true })
  recordingUrl: string | null;

  @Column({ name: 'hangup_reason', type: 'varchar', length: 200, nullable: true })
  hangupReason: string | null;

  /** What the agent noted after the call. */
  @Column({ type: 'text', nullable: true })
  note: string | null;

  /** The outcome the agent chose (e.g. interested, callback, wrong number). */
  @Column({ type: 'varchar', length: 40, nullable: true })
  disposition: string | null;

  /** Provider-specific settings of the call (e.g. the simulator scenario). */
  @Column({ type: 'jsonb', default: {} })
  metadata: Record<string, string | number | boolean | null>;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
