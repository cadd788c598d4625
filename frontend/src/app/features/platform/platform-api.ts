import { HttpClient, HttpHeaders, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';

import { ApiSchema, ApiView } from '../../core/api/api-schema';

/** An organization as the operator sees it: plan, state, user count and wallet. */
export type PlatformOrganization = ApiView<'PlatformOrganizationView'>;

/**
 * The answer to creating an organization. When its first owner is created without a password,
 * `ownerSetup` carries the one-time setup link for the operator to send.
 */
export type CreatedOrganization = ApiView<'CreatedOrganizationView'>;

export type CreateOrganization = ApiSchema<'CreateOrganizationDto'>;

export type UpdateOrganization = ApiSchema<'UpdatePlatformOrganizationDto'>;

export type PricePlan = ApiView<'PricePlanView'>;

export type PlanDeck = ApiView<'RateDeckView'>;

export type PlanRateInput = ApiSchema<'RateInput'>;

/** A credit or refund: the ledger transaction it wrote. */
export type Movement = ApiView<'PlatformMovementView'>;

export type OrganizationState = 'active' | 'suspended';

/** `/api/platform/...`: the platform operator's API (docs/platform.md). */
@Injectable({ providedIn: 'root' })
export class PlatformApi {
  private readonly http = inject(HttpClient);

  organizations(state?: OrganizationState | null): Observable<{ items: PlatformOrganization[] }> {
    const params = state ? new HttpParams().set('state', state) : undefined;
    return this.http.get<{ items: PlatformOrganization[] }>('/api/platform/organizations', {
      params,
    });
  }

  organization(id: string): Observable<PlatformOrganization> {
    return this.http.get<PlatformOrganization>(`/api/platform/organizations/${id}`);
  }

  createOrganization(body: CreateOrganization): Observable<CreatedOrganization> {
    return this.http.post<CreatedOrganization>('/api/platform/organizations', body);
  }

  updateOrganization(id: string, body: UpdateOrganization): Observable<PlatformOrganization> {
    return this.http.patch<PlatformOrganization>(`/api/platform/organizations/${id}`, body);
  }

  /** A manual credit; the same `idempotencyKey` again credits nothing more. */
  credit(id: string, body: ApiSchema<'CreditDto'>, idempotencyKey: string): Observable<Movement> {
    return this.http.post<Movement>(`/api/platform/organizations/${id}/credits`, body, {
      headers: new HttpHeaders({ 'Idempotency-Key': idempotencyKey }),
    });
  }

  /** Refunds a call: at most its charge, once (a second refund is a 409). */
  refund(callId: string, body: ApiSchema<'CallRefundDto'>): Observable<Movement> {
    return this.http.post<Movement>(`/api/platform/calls/${callId}/refund`, body);
  }

  pricePlans(): Observable<{ items: PricePlan[] }> {
    return this.http.get<{ items: PricePlan[] }>('/api/platform/price-plans');
  }

  createPricePlan(body: ApiSchema<'CreatePricePlanDto'>): Observable<PricePlan> {
    return this.http.post<PricePlan>('/api/platform/price-plans', body);
  }

  planRates(id: string): Observable<PlanDeck> {
    return this.http.get<PlanDeck>(`/api/platform/price-plans/${id}/rates`);
  }

  replacePlanRates(id: string, rates: PlanRateInput[]): Observable<PlanDeck> {
    return this.http.put<PlanDeck>(`/api/platform/price-plans/${id}/rates`, { rates });
  }
}

/** A plan's own rates in its deck (the default plan's are listed as `default`). */
export function ownRates(deck: PlanDeck): PlanDeck['default'] {
  return deck.plan.isDefault ? deck.default : deck.organization;
}
