import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';

import { ApiView, Page } from '../../core/api/api-schema';

/** One entry of the audit log. */
export type AuditEntry = ApiView<'AuditEntryView'>;

export interface AuditFilters {
  /** An action, or a family ending in a dot (`user.`). */
  action?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  /** ISO date-times: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  /** Operators only: one organization's entries. */
  organizationId?: string;
}

/** An organization as the operator's audit filter names it. */
export type AuditOrganization = Pick<ApiView<'PlatformOrganizationView'>, 'id' | 'name'>;

/** `GET /api/audit` (owners, admins: their organization's log; operators: every organization's). */
@Injectable({ providedIn: 'root' })
export class AuditApi {
  private readonly http = inject(HttpClient);

  list(
    filters: AuditFilters,
    page: { cursor?: string | null; limit?: number } = {},
  ): Observable<Page<AuditEntry>> {
    let params = new HttpParams();
    for (const [name, value] of Object.entries(filters))
      if (value) params = params.set(name, value);
    if (page.cursor) params = params.set('cursor', page.cursor);
    if (page.limit) params = params.set('limit', page.limit);
    return this.http.get<Page<AuditEntry>>('/api/audit', { params });
  }

  /** Operators: the organizations to filter by (`GET /api/platform/organizations`). */
  organizations(): Observable<{ items: AuditOrganization[] }> {
    return this.http.get<{ items: AuditOrganization[] }>('/api/platform/organizations');
  }
}
