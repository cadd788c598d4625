import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';

import { VoiceConfig } from './call';

/** What this deployment can call with: browser calling (Twilio) and the enabled providers. */
@Injectable({ providedIn: 'root' })
export class VoiceApi {
  private readonly http = inject(HttpClient);

  config(): Observable<VoiceConfig> {
    return this.http.get<VoiceConfig>('/api/voice/config');
  }
}
