import { HttpClient, HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import { ApiQuery, Refine } from '../api/api-schema';
import { CsvFile, toCsvFile, toHttpParams } from '../api/csv-file';
import { CallDetail, CallNote, CallPage, CallStatus, CallView, NewCall } from './call';

/**
 * The server-side filters of `GET /api/calls` and its CSV export (the list's query without its
 * paging). `q`: digits of either number, else a contact's name or words said on the call.
 */
export type CallQuery = Refine<
  Omit<ApiQuery<'CallsController_list'>, 'cursor' | 'limit'>,
  // The console's filters keep their statuses read-only.
  { status?: readonly CallStatus[] }
>;

/** Calls of the signed-in user (agents) or of the organization (owners and admins). */
@Injectable({ providedIn: 'root' })
export class CallsApi {
  private readonly http = inject(HttpClient);

  list(
    query: CallQuery,
    page: { cursor?: string | null; limit?: number } = {},
  ): Observable<CallPage> {
    let params = toHttpParams(query);
    if (page.cursor) params = params.set('cursor', page.cursor);
    if (page.limit) params = params.set('limit', page.limit);
    return this.http.get<CallPage>('/api/calls', { params });
  }

  get(id: string): Observable<CallDetail> {
    return this.http.get<CallDetail>(`/api/calls/${encodeURIComponent(id)}`);
  }

  initiate(call: NewCall): Observable<CallView> {
    return this.http.post<CallView>('/api/calls', call);
  }

  /** Saves the note and disposition of a call (agents: their own calls). */
  update(id: string, changes: CallNote): Observable<CallView> {
    return this.http.patch<CallView>(`/api/calls/${encodeURIComponent(id)}`, changes);
  }

  /**
   * Asks the provider to end a live call (agents: their own; admins: the organization's). 202: the
   * call's status follows by webhook; 409 names why it cannot be ended.
   */
  hangUp(id: string): Observable<CallView> {
    return this.http.post<CallView>(`/api/calls/${encodeURIComponent(id)}/hangup`, {});
  }

  /** Stores a call-quality warning the browser's SDK raised or cleared on the call's timeline. */
  reportQuality(id: string, report: { warning: string; cleared: boolean }): Observable<void> {
    return this.http.post<void>(`/api/calls/${encodeURIComponent(id)}/quality-warnings`, report);
  }

  /** The signed-in user's own live call (not yet ended), if any: what a reload picks up again. */
  liveCallOfMine(agentId: string): Observable<CallView | null> {
    return this.list(
      { status: ['initiated', 'ringing', 'in_progress'], agentId },
      { limit: 1 },
    ).pipe(map((page) => page.items[0] ?? null));
  }

  /** The filtered history as CSV; fetched through HttpClient because it needs the bearer token. */
  exportCsv(query: CallQuery): Observable<CsvFile> {
    return this.http
      .get('/api/calls/export.csv', {
        params: toHttpParams(query),
        responseType: 'blob',
        observe: 'response',
      })
      .pipe(
        map((response: HttpResponse<Blob>) =>
          toCsvFile(response, `calls-${new Date().toISOString().slice(0, 10)}.csv`),
        ),
      );
  }
}
