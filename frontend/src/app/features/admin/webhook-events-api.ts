import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';

import { ApiView, Page, Refine } from '../../core/api/api-schema';
import { Provider } from '../../core/calls/call';

export const WEBHOOK_EVENT_STATES = [
  'received',
  'processed',
  'retrying',
  'dead',
  'rejected',
] as const;
export type WebhookEventState = (typeof WEBHOOK_EVENT_STATES)[number];

export const WEBHOOK_EVENT_STATE_LABELS: Readonly<Record<WebhookEventState, string>> = {
  received: 'Received',
  processed: 'Processed',
  retrying: 'Retrying',
  dead: 'Dead',
  rejected: 'Rejected',
};

/** States an admin may put back on the queue (processed and rejected ones are refused: 409). */
export const REPLAYABLE_STATES: readonly WebhookEventState[] = ['received', 'retrying', 'dead'];

/** One provider callback as received, with what processing it made of it. */
export type WebhookEventView = Refine<
  ApiView<'WebhookEventView'>,
  // The document calls the headers a bare object.
  { headers: Record<string, unknown> }
>;

export type WebhookEventPage = Page<WebhookEventView>;

export interface WebhookEventQuery {
  state?: WebhookEventState | null;
  provider?: Provider | null;
}

/** The organization's webhook events (`/api/admin/webhook-events`, owners and admins only). */
@Injectable({ providedIn: 'root' })
export class WebhookEventsApi {
  private readonly http = inject(HttpClient);

  list(
    query: WebhookEventQuery,
    page: { cursor?: string | null; limit?: number } = {},
  ): Observable<WebhookEventPage> {
    let params = new HttpParams();
    if (query.state) params = params.set('state', query.state);
    if (query.provider) params = params.set('provider', query.provider);
    if (page.cursor) params = params.set('cursor', page.cursor);
    if (page.limit) params = params.set('limit', page.limit);
    return this.http.get<WebhookEventPage>('/api/admin/webhook-events', { params });
  }

  /** Puts the event back on the queue; 202 with the event, now `received`. */
  replay(id: string): Observable<WebhookEventView> {
    return this.http.post<WebhookEventView>(
      `/api/admin/webhook-events/${encodeURIComponent(id)}/replay`,
      {},
    );
  }
}
