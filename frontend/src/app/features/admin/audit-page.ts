import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { ActivatedRoute, Router } from '@angular/router';

import { EmptyState } from '../../shared/empty-state/empty-state';
import { IntlDatePipe } from '../../shared/format/intl-format';
import { LoadState } from '../../shared/load-state/load-state';
import { LoadMore } from '../../shared/paged-list/load-more';
import { pagedList } from '../../shared/paged-list/paged-list';
import { AuditApi, AuditEntry, AuditFilters, AuditOrganization } from './audit-api';
import {
  AUDIT_FAMILIES,
  AuditChange,
  actionLabel,
  auditChanges,
  targetLabel,
} from './audit-format';

export const AUDIT_PAGE_SIZE = 50;

/**
 * The audit log, newest first: who changed what, and when. Administration → Audit log shows an
 * organization's own; the platform operator's (/platform/audit) every organization's, with the
 * organization of each entry and a filter by organization (`?organization=` in the URL).
 */
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
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  /** The platform's route says so (`data.platform`): operators read every organization's log. */
  protected readonly operator = this.route.snapshot.data?.['platform'] === true;
  /** Operators: the organization filter ('' = all). */
  protected readonly organizationId = signal(
    this.operator ? (this.route.snapshot.queryParamMap.get('organization') ?? '') : '',
  );
  protected readonly organizations = signal<AuditOrganization[]>([]);
  private readonly organizationNames = computed(
    () => new Map(this.organizations().map((organization) => [organization.id, organization.name])),
  );

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
    if (!this.operator) return;
    this.api.organizations().subscribe({
      next: (list) => this.organizations.set(list.items),
      // The filter still works by the URL; entries then name their organization by id.
      error: () => this.organizations.set([]),
    });
    // The same page again with another `?organization=` (the navigation's Audit log, Back).
    this.route.queryParamMap.pipe(takeUntilDestroyed()).subscribe((params) => {
      const id = params.get('organization') ?? '';
      if (id === this.organizationId()) return;
      this.organizationId.set(id);
      this.load();
    });
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

  protected setOrganization(value: string): void {
    this.organizationId.set(value);
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { organization: value || null },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
    this.load();
  }

  /** The organization an entry belongs to, as the operator reads it. */
  protected organizationName(entry: AuditEntry): string {
    if (!entry.organizationId) return 'Platform';
    return this.organizationNames().get(entry.organizationId) ?? entry.organizationId;
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
    if (this.organizationId()) this.setOrganization('');
    else this.load();
  }

  protected hasFilters(): boolean {
    return !!(
      this.family() ||
      this.fromDate() ||
      this.toDate() ||
      this.actor() ||
      this.organizationId()
    );
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
      organizationId: this.organizationId() || undefined,
    };
  }
}

/** The instant a local calendar day (YYYY-MM-DD) starts, plus `days`; undefined when empty. */
export function startOfLocalDay(date: string, days = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days).toISOString();
}
