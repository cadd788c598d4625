import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor } from '../../common/cursor';
import { AuthUser } from '../auth/auth-user';
import { OrganizationPhones } from '../auth/organization-phones';
import { AddDncDto, DncList, DncView, ListDncQuery } from './dnc.dto';
import { DncNumber, DncSource } from './entities/dnc-number.entity';
import { DncRefusal } from './entities/dnc-refusal.entity';
import { AuditService } from '../audit/audit.service';

interface DncRow {
  id: string;
  phone: string;
  reason: string | null;
  source: string;
  created_by: string | null;
  created_by_name: string | null;
  created_at: Date;
  cursor_at: string;
  refused: number;
  last_refused_at: Date | null;
}

/**
 * The organization's do-not-call list. Every way of placing a call (the API, the Twilio browser
 * leg, campaigns) asks `isBlocked` / `refuseIfBlocked` here; no other module reads the table.
 */
@Injectable()
export class DncService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Whether an E.164 number is on the organization's list (inside the caller's transaction when given). */
  async isBlocked(
    manager: EntityManager | undefined,
    organizationId: string,
    phone: string,
  ): Promise<boolean> {
    return (manager ?? this.dataSource.manager).existsBy(DncNumber, { organizationId, phone });
  }

  /** Which of `phones` are listed (campaigns check a page of contacts at once). */
  async blockedAmong(
    manager: EntityManager,
    organizationId: string,
    phones: string[],
  ): Promise<Set<string>> {
    if (phones.length === 0) return new Set();
    const rows: { phone: string }[] = await manager.query(
      `SELECT phone FROM dnc_numbers WHERE organization_id = $1 AND phone = ANY($2::text[])`,
      [organizationId, phones],
    );
    return new Set(rows.map((row) => row.phone));
  }

  /** The sentence every refusal uses, so the dialer, TwiML and campaigns say the same thing. */
  refusalMessage(phone: string): string {
    return `The number ${phone} is on the organization's do-not-call list`;
  }

  /**
   * For placement paths: when the number is listed, records the attempt and returns the refusal
   * sentence; null when the call may go ahead. Called before any hold or provider request.
   */
  async refusalFor(
    organizationId: string,
    phone: string,
    attempt: { provider: string; userId: string | null },
  ): Promise<string | null> {
    if (!(await this.isBlocked(undefined, organizationId, phone))) return null;
    await this.dataSource.getRepository(DncRefusal).insert({
      organizationId,
      phone,
      provider: attempt.provider,
      userId: attempt.userId,
    });
    return this.refusalMessage(phone);
  }

  /** As `refusalFor`, throwing a 403 naming the list. */
  async assertCallable(
    organizationId: string,
    phone: string,
    attempt: { provider: string; userId: string | null },
  ): Promise<void> {
    const refusal = await this.refusalFor(organizationId, phone, attempt);
    if (refusal) throw new ForbiddenException(refusal);
  }

  /**
   * Lists a number in the caller's transaction (a disposition, an import); a number already listed
   * keeps its first reason and source. Returns whether it was newly added; a new listing is
   * audited (`dnc.added`) in the same transaction, by `actor` (null: no person, e.g. an import).
   */
  async add(
    manager: EntityManager,
    entry: {
      organizationId: string;
      phone: string;
      reason: string | null;
      source: DncSource;
      createdBy: string | null;
    },
    actor: AuthUser | null = null,
  ): Promise<boolean> {
    const inserted: { id: string }[] = await manager.query(
      `INSERT INTO dnc_numbers (organization_id, phone, reason, source, created_by)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (organization_id, phone) DO NOTHING
       RETURNING id`,
      [entry.organizationId, entry.phone, entry.reason, entry.source, entry.createdBy],
    );
    if (inserted.length > 0)
      await this.audit.record(manager, {
        actor,
        organizationId: entry.organizationId,
        action: 'dnc.added',
        target: { type: 'dnc_number', id: entry.phone },
        after: { phone: entry.phone, reason: entry.reason, source: entry.source },
      });
    return inserted.length > 0;
  }

  async list(caller: AuthUser, query: ListDncQuery): Promise<DncList> {
    const limit = query.limit ?? 50;
    const params: unknown[] = [caller.organizationId];
    const where = ['d.organization_id = $1'];
    if (query.q?.trim()) {
      const digits = query.q.replace(/\D/g, '');
      params.push(
        `%${query.q
          .trim()
          .toLowerCase()
          .replace(/[%_\\]/g, '\\$&')}%`,
      );
      const text = `lower(d.reason) LIKE $${params.length}`;
      if (digits.length > 0) {
        params.push(`%${digits}%`);
        where.push(`(${text} OR d.phone LIKE $${params.length})`);
      } else {
        where.push(`(${text})`);
      }
    }
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor, ['timestamp', 'uuid']);
      params.push(at, id);
      where.push(
        `(d.created_at, d.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
      );
    }
    params.push(limit + 1);
    const rows: DncRow[] = await this.dataSource.query(
      `SELECT d.id, d.phone, d.reason, d.source, d.created_by, u.name AS created_by_name, d.created_at,
              to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at,
              r.refused, r.last_refused_at
         FROM dnc_numbers d
         LEFT JOIN users u ON u.id = d.created_by
         LEFT JOIN LATERAL (
           SELECT count(*)::int AS refused, max(x.created_at) AS last_refused_at
             FROM dnc_refusals x
            WHERE x.organization_id = d.organization_id AND x.phone = d.phone AND x.created_at >= d.created_at
         ) r ON true
        WHERE ${where.join(' AND ')}
        ORDER BY d.created_at DESC, d.id DESC
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

  /** Adds a number by hand; adding one already listed answers the existing entry (`created: false`). */
  async create(caller: AuthUser, input: AddDncDto): Promise<{ view: DncView; created: boolean }> {
    const phone = (
      await OrganizationPhones.of(this.dataSource.manager, caller.organizationId)
    ).require(input.phone, 'phone');
    const created = await this.dataSource.transaction((manager) =>
      this.add(
        manager,
        {
          organizationId: caller.organizationId,
          phone: phone.e164,
          reason: input.reason ?? null,
          source: 'manual',
          createdBy: caller.id,
        },
        caller,
      ),
    );
    return { view: await this.find(caller.organizationId, phone.e164), created };
  }

  async remove(caller: AuthUser, phoneParam: string): Promise<void> {
    const phone = (
      await OrganizationPhones.of(this.dataSource.manager, caller.organizationId)
    ).require(phoneParam, 'phone');
    await this.dataSource.transaction(async (manager) => {
      const result: [{ reason: string | null; source: string }[], number] = await manager.query(
        `DELETE FROM dnc_numbers WHERE organization_id = $1 AND phone = $2 RETURNING reason, source`,
        [caller.organizationId, phone.e164],
      );
      const [removed] = result[0];
      if (!removed) throw new NotFoundException(`${phone.e164} is not on the do-not-call list`);
      await this.audit.record(manager, {
        actor: caller,
        organizationId: caller.organizationId,
        action: 'dnc.removed',
        target: { type: 'dnc_number', id: phone.e164 },
        before: { phone: phone.e164, reason: removed.reason, source: removed.source },
      });
    });
  }

  private async find(organizationId: string, phone: string): Promise<DncView> {
    const { items } = await this.list({ organizationId } as AuthUser, { q: phone, limit: 200 });
    const found = items.find((item) => item.phone === phone);
    if (!found) throw new NotFoundException(`${phone} is not on the do-not-call list`);
    return found;
  }
}

function toView(row: DncRow): DncView {
  return {
    id: row.id,
    phone: row.phone,
    reason: row.reason,
    source: row.source,
    createdBy: row.created_by
      ? { id: row.created_by, name: row.created_by_name ?? 'Deleted user' }
      : null,
    createdAt: new Date(row.created_at).toISOString(),
    refusedAttempts: row.refused ?? 0,
    lastRefusedAt: row.last_refused_at ? new Date(row.last_refused_at).toISOString() : null,
  };
}
