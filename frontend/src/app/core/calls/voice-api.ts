import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import { CallerId, VoiceConfig, VoiceToken } from './call';

/** What this deployment can call with: browser calling (Twilio), the enabled providers, caller IDs. */
@Injectable({ providedIn: 'root' })
export class VoiceApi {
  private readonly http = inject(HttpClient);

  config(): Observable<VoiceConfig> {
    return this.http.get<VoiceConfig>('/api/voice/config');
  }

  /** A fresh Twilio access token for the signed-in user. */
  token(): Observable<VoiceToken> {
    return this.http.post<VoiceToken>('/api/voice/token', {});
  }

  callerIds(): Observable<readonly CallerId[]> {
    return this.http.get<{ items: CallerId[] }>('/api/caller-ids').pipe(map((page) => page.items));
  }
}

/**
 * The caller ID a new call starts with, in the dialer and the initiate-call dialog alike: the
 * organization's first (null, the provider's default, when it has none).
 */
export function defaultCallerId(ids: readonly CallerId[]): string | null {
  return ids[0]?.number ?? null;
}
