import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';

import { ApiView, Page } from '../../core/api/api-schema';

export const OUTBOUND_EVENT_TYPES = [
  'call.created',
  'call.updated',
  'call.completed',
  'call.outcome',
  'campaign.updated',
  'wallet.low_balance',
  'payment.succeeded',
] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

export const OUTBOUND_EVENT_DESCRIPTIONS: Readonly<Record<OutboundEventType, string>> = {
  'call.created': 'A call was placed',
  'call.updated': 'Every status change of a call',
  'call.completed': 'A call ended (once per call)',
  'call.outcome': 'Recording, transcript and summary are known (once per call)',
  'campaign.updated': 'A campaign’s status or progress changed',
  'wallet.low_balance': 'Available balance fell below the warning threshold',
  'payment.succeeded': 'A top-up payment credited the wallet',
};

export type WebhookEndpoint = ApiView<'WebhookEndpointView'>;
export type WebhookDelivery = ApiView<'WebhookDeliveryView'>;
export type DeliveryStatus = WebhookDelivery['status'];

export interface EndpointInput {
  url: string;
  description: string;
  events: OutboundEventType[];
}

/** The organization's outbound webhook endpoints (`/api/webhook-endpoints`, owners and admins). */
@Injectable({ providedIn: 'root' })
export class WebhookEndpointsApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/webhook-endpoints';

  list(): Observable<{ items: WebhookEndpoint[] }> {
    return this.http.get<{ items: WebhookEndpoint[] }>(this.base);
  }

  get(id: string): Observable<WebhookEndpoint> {
    return this.http.get<WebhookEndpoint>(`${this.base}/${encodeURIComponent(id)}`);
  }

  create(input: EndpointInput): Observable<WebhookEndpoint> {
    return this.http.post<WebhookEndpoint>(this.base, input);
  }

  update(id: string, change: Partial<EndpointInput> & { enabled?: boolean }) {
    return this.http.patch<WebhookEndpoint>(`${this.base}/${encodeURIComponent(id)}`, change);
  }

  remove(id: string): Observable<void> {
    return this.http.delete<void>(`${this.base}/${encodeURIComponent(id)}`);
  }

  rotateSecret(id: string): Observable<WebhookEndpoint> {
    return this.http.post<WebhookEndpoint>(
      `${this.base}/${encodeURIComponent(id)}/rotate-secret`,
      {},
    );
  }

  deliveries(
    id: string,
    page: { cursor?: string | null; limit?: number } = {},
  ): Observable<Page<WebhookDelivery>> {
    let params = new HttpParams();
    if (page.cursor) params = params.set('cursor', page.cursor);
    if (page.limit) params = params.set('limit', page.limit);
    return this.http.get<Page<WebhookDelivery>>(
      `${this.base}/${encodeURIComponent(id)}/deliveries`,
      { params },
    );
  }

  resend(id: string, deliveryId: string): Observable<WebhookDelivery> {
    return this.http.post<WebhookDelivery>(
      `${this.base}/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(deliveryId)}/resend`,
      {},
    );
  }
}
