import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';

import { ApiSchema, ApiView } from '../../core/api/api-schema';

/** One API key as listed (never its secret). */
export type ApiKey = ApiView<'ApiKeyView'>;
/** The answer to a creation: the key with its secret, shown this once. */
export type CreatedApiKey = ApiView<'CreatedApiKeyView'>;
export type ApiKeyRole = ApiKey['role'];

export const API_KEY_ROLE_DESCRIPTIONS: Readonly<Record<ApiKeyRole, string>> = {
  admin: 'Everything an admin can do: users, campaigns, do-not-call, calls of everyone',
  agent: 'What an agent can do: place calls, read and annotate its calls, contacts',
};

/** `/api/api-keys` (owners only). */
@Injectable({ providedIn: 'root' })
export class ApiKeysApi {
  private readonly http = inject(HttpClient);

  list(): Observable<{ items: ApiKey[] }> {
    return this.http.get<{ items: ApiKey[] }>('/api/api-keys');
  }

  create(name: string, role: ApiKeyRole): Observable<CreatedApiKey> {
    const body: ApiSchema<'CreateApiKeyDto'> = { name, role };
    return this.http.post<CreatedApiKey>('/api/api-keys', body);
  }

  revoke(id: string): Observable<ApiKey> {
    return this.http.delete<ApiKey>(`/api/api-keys/${id}`);
  }
}
