import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';

import { ApiSchema, ApiView, Page } from '../../core/api/api-schema';

/** One number on the organization's do-not-call list. */
export type DncEntry = ApiView<'DncView'>;

export type DncPage = Page<DncEntry>;

export const DNC_SOURCE_LABELS: Readonly<Record<string, string>> = {
  manual: 'Added by hand',
  disposition: 'Call disposition',
  import: 'Import',
  ai: 'AI opt-out',
};

/** `/api/dnc` (owners and admins only). */
@Injectable({ providedIn: 'root' })
export class DncApi {
  private readonly http = inject(HttpClient);

  list(q: string, page: { cursor?: string | null; limit?: number } = {}): Observable<DncPage> {
    let params = new HttpParams();
    if (q) params = params.set('q', q);
    if (page.cursor) params = params.set('cursor', page.cursor);
    if (page.limit) params = params.set('limit', page.limit);
    return this.http.get<DncPage>('/api/dnc', { params });
  }

  /** 201 when added, 200 with the existing entry when the number was already listed. */
  add(phone: string, reason: string): Observable<DncEntry> {
    const body: ApiSchema<'AddDncDto'> = { phone, reason: reason || undefined };
    return this.http.post<DncEntry>('/api/dnc', body);
  }

  remove(phone: string): Observable<void> {
    return this.http.delete<void>(`/api/dnc/${encodeURIComponent(phone)}`);
  }
}
