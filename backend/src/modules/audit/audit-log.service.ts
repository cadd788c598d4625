import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '../../common/cursor';
import { AuthUser, isOperator } from '../auth/auth-user';
import { AuditEntryView, AuditList, ListAuditQuery } from './audit.dto';

interface AuditRow {
  id: string;
  occurred_at: Date;
  cursor_at: string;
  organization_id: string | null;
  actor_user_id: string | null;
  actor_api_key_id: string | null;
  actor_role: string;
  actor_label: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Reads of the audit log: an organization's own entries for its admins, all of them for operators. */
@Injectable()
export class AuditLogService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(caller: AuthUser, query: ListAuditQuery): Promise<AuditList> {
    const limit = query.limit ?? 50;
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    // Members see their organization's entries only: another organizationId finds nothing.
    if (!isOperator(caller.role)) add((n) => `a.organization_id = ${n}`, caller.organizationId);
    if (query.organizationId) add((n) => `a.organization_id = ${n}`, query.organizationId);
    if (query.action?.endsWith('.')) add((n) => `a.action LIKE ${n}`, `${query.action}%`);
    else if (query.action) add((n) => `a.action = ${n}`, query.action);
    if (query.actorId)
      add((n) => `(a.actor_user_id = ${n} OR a.actor_api_key_id = ${n})`, query.actorId);
    if (query.targetType) add((n) => `a.target_type = ${n}`, query.targetType);
    if (query.targetId) add((n) => `a.target_id = ${n}`, query.targetId);
    if (query.from) add((n) => `a.occurred_at >= ${n}::timestamptz`, query.from);
    if (query.to) add((n) => `a.occurred_at < ${n}::timestamptz`, query.to);
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor, ['timestamp', 'uuid']);
      params.push(at, id);
      where.push(
        `(a.occurred_at, a.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
      );
    }
    params.push(limit + 1);
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT a.id, a.occurred_at, a.organization_id, a.actor_user_id, a.actor_api_key_id,
              a.actor_role, a.actor_label, a.action, a.target_type, a.target_id, a.before, a.after,
              to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
         FROM audit_log a
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY a.occurred_at DESC, a.id DESC
        LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toView),
      nextCursor: rows.length > limit && last ? encodeCursor([last.cursor_at, last.id]) : null,
    };
  }
}

function toView(row: AuditRow): AuditEntryView {
  return {
    id: row.id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    organizationId: row.organization_id,
    actor: {
      userId: row.actor_user_id,
      apiKeyId: row.actor_api_key_id,
      role: row.actor_role,
      label: row.actor_label,
    },
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    before: row.before,
    after: row.after,
  };
}
