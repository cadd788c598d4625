import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '../auth/auth-user';

/** A state of the target as the audit log keeps it (plain JSON; bigints as strings). */
export type AuditState = Record<string, unknown> | null;

export interface AuditRecord {
  /** Who did it: the signed-in user or API key (null for the system). */
  actor: AuthUser | null;
  /** The organization the change belongs to; null for platform-wide changes (price plans). */
  organizationId: string | null;
  /** `noun.verb`, e.g. `user.role_changed`. */
  action: string;
  target: { type: string; id: string | null };
  before?: AuditState;
  after?: AuditState;
}

/**
 * The audit log's only writer. Every administrative change calls `record` with the manager of the
 * transaction that makes the change, so the entry commits (or rolls back) with it.
 */
@Injectable()
export class AuditService {
  async record(manager: EntityManager, entry: AuditRecord): Promise<void> {
    const actor = entry.actor;
    await manager.query(
      `INSERT INTO audit_log (organization_id, actor_user_id, actor_api_key_id, actor_role,
                              actor_label, action, target_type, target_id, before, after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb)`,
      [
        entry.organizationId || null,
        actor?.id || null,
        actor?.apiKeyId ?? null,
        actor?.role ?? 'system',
        actor ? (actor.apiKeyName ? `API key “${actor.apiKeyName}”` : actor.email) : null,
        entry.action,
        entry.target.type,
        entry.target.id,
        json(entry.before ?? null),
        json(entry.after ?? null),
      ],
    );
  }
}

/** The state as JSON: bigints become strings, Dates ISO strings, undefined keys dropped. */
const json = (state: AuditState) =>
  state === null
    ? null
    : JSON.stringify(state, (_key, value: unknown) =>
        typeof value === 'bigint' ? value.toString() : value,
      );
