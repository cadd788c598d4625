import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { EmptyState } from '../../shared/empty-state/empty-state';
import { IntlDatePipe } from '../../shared/format/intl-format';
import { LoadState } from '../../shared/load-state/load-state';
import { LoadMore } from '../../shared/paged-list/load-more';
import { pagedList } from '../../shared/paged-list/paged-list';
import { AuditApi, AuditEntry, AuditFilters } from './audit-api';
import {
  AUDIT_FAMILIES,
  AuditChange,
  actionLabel,
  auditChanges,
  targetLabel,
} from './audit-format';

export const AUDIT_PAGE_SIZE = 50;

/** Administration → Audit log: who changed what in the organization, and when (newest first). */
@Component({
  selector: 'sb-audit-page',
  imports: [
    IntlDatePipe,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    EmptyState,
    LoadState,
    LoadMore,
  ],
  templateUrl: './audit-page.html',
  styleUrl: './audit-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditPage {
  private readonly api = inject(AuditApi);

  protected readonly families = AUDIT_FAMILIES;
  protected readonly family = signal('');
  /** Local dates (YYYY-MM-DD) from the date inputs. */
  protected readonly fromDate = signal('');
  protected readonly toDate = signal('');
  protected readonly actor = signal<{ id: string; label: string } | null>(null);

  protected readonly list = pagedList<AuditEntry>({
    fetch: (page) => this.api.list(this.filters(), page),
    pageSize: AUDIT_PAGE_SIZE,
    errorMessage: 'Could not load the audit log.',
    moreErrorMessage: 'Could not load more entries.',
  });
  protected readonly entries = this.list.items;

  private readonly changes = new Map<string, AuditChange[]>();

  constructor() {
    this.load();
  }

  protected load(): void {
    this.list.load();
  }

  protected setFamily(value: string): void {
    this.family.set(value);
    this.load();
  }

  protected setFrom(value: string): void {
    this.fromDate.set(value);
    this.load();
  }

  protected setTo(value: string): void {
    this.toDate.set(value);
    this.load();
  }

  protected filterByActor(entry: AuditEntry): void {
    const id = entry.actor.apiKeyId ?? entry.actor.userId;
    if (!id) return;
    this.actor.set({ id, label: this.actorLabel(entry) });
    this.load();
  }

  protected clearFilters(): void {
    this.family.set('');
    this.fromDate.set('');
    this.toDate.set('');
    this.actor.set(null);
    this.load();
  }

  protected hasFilters(): boolean {
    return !!(this.family() || this.fromDate() || this.toDate() || this.actor());
  }

  protected actionLabel(action: string): string {
    return actionLabel(action);
  }

  protected targetLabel(type: string): string {
    return targetLabel(type);
  }

  protected actorLabel(entry: AuditEntry): string {
    if (entry.actor.role === 'system') return 'Switchboard';
    return entry.actor.label ?? 'Deleted user';
  }

  protected changesOf(entry: AuditEntry): AuditChange[] {
    let rows = this.changes.get(entry.id);
    if (!rows) {
      rows = auditChanges(
        entry.before as Record<string, unknown> | null,
        entry.after as Record<string, unknown> | null,
      );
      this.changes.set(entry.id, rows);
    }
    return rows;
  }

  private filters(): AuditFilters {
    return {
      action: this.family() || undefined,
      actorId: this.actor()?.id,
      from: startOfLocalDay(this.fromDate()),
      // "To" a day includes that day.
      to: startOfLocalDay(this.toDate(), 1),
    };
  }
}

/** The instant a local calendar day (YYYY-MM-DD) starts, plus `days`; undefined when empty. */
export function startOfLocalDay(date: string, days = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days).toISOString();
}
