import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';

import { ApiView } from '../../core/api/api-schema';

export type ProvidersOverview = ApiView<'ProvidersOverview'>;
export type ProviderOverview = ApiView<'ProviderOverviewView'>;

/** `GET /api/providers` (owners and admins). */
@Injectable({ providedIn: 'root' })
export class ProvidersApi {
  private readonly http = inject(HttpClient);

  overview(): Observable<ProvidersOverview> {
    return this.http.get<ProvidersOverview>('/api/providers');
  }
}
