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
