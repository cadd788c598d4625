import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One administrative change: who (a user, or an API key and the user who made it), when, in which
 * organization (null for platform-wide changes such as price plans), what (action), to what
 * (target) and the target before and after. Append-only: a trigger refuses UPDATE, DELETE and
 * TRUNCATE (migration AuditLogAndApiKeys); rows are written only by AuditService.record.
 */
@Entity({ name: 'audit_log' })
@Index('audit_log_org_occurred_idx', ['organizationId', 'occurredAt', 'id'])
@Index('audit_log_occurred_idx', ['occurredAt', 'id'])
export class AuditEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  occurredAt: Date;

  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ name: 'actor_api_key_id', type: 'uuid', nullable: true })
  actorApiKeyId: string | null;

  /** The actor's role at the time (operator, owner, admin, agent), or `system`. */
  @Column({ name: 'actor_role', type: 'varchar', length: 20 })
  actorRole: string;

  /** The actor's email (or the API key's name) at the time, so the entry reads without joins. */
  @Column({ name: 'actor_label', type: 'varchar', length: 320, nullable: true })
  actorLabel: string | null;

  /** `noun.verb`, e.g. `user.role_changed`, `dnc.added`, `api_key.revoked`. */
  @Column({ type: 'varchar', length: 100 })
  action: string;

  @Column({ name: 'target_type', type: 'varchar', length: 50 })
  targetType: string;

  /** A uuid, or a phone number (do-not-call entries are keyed by their number). */
  @Column({ name: 'target_id', type: 'varchar', length: 200, nullable: true })
  targetId: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  after: Record<string, unknown> | null;
}
