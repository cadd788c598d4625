import { Injectable, OnDestroy, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { CallView } from '../calls/call';
import { CallsApi } from '../calls/calls-api';
import {
  DialRequest,
  SimulatorOptions,
  VoiceCall,
  VoiceCallEvent,
  VoiceCallListeners,
  VoiceDevice,
} from './voice-device';

export const DEFAULT_SIMULATOR_OPTIONS: SimulatorOptions = {
  scenario: 'completed',
  talkSeconds: 45,
};

/**
 * The simulated device: the call is placed through the simulator provider on the server
 * (`POST /api/calls`), which plays it out with real webhooks; the dialer follows it through
 * socket events. There is no audio, so mute and DTMF are local state.
 */
@Injectable({ providedIn: 'root' })
export class SimulatedVoiceDevice implements VoiceDevice, OnDestroy {
  private readonly api = inject(CallsApi);
  private readonly calls = new Set<SimulatedVoiceCall>();

  readonly kind = 'simulator' as const;
  readonly hangsUpAtProvider = false;

  async connect(request: DialRequest): Promise<VoiceCall> {
    const options = request.simulator ?? DEFAULT_SIMULATOR_OPTIONS;
    const call = await firstValueFrom(
      this.api.initiate({
        provider: 'simulator',
        to: request.to,
        ...(request.callerId ? { from: request.callerId } : {}),
        scenario: options.scenario,
        talkSeconds: options.talkSeconds,
      }),
    );
    const voiceCall = new SimulatedVoiceCall(call, () => this.calls.delete(voiceCall));
    this.calls.add(voiceCall);
    return voiceCall;
  }

  destroy(): void {
    for (const call of [...this.calls]) call.dispose();
  }

  ngOnDestroy(): void {
    this.destroy();
  }
}

/** A simulated call's local side: it records the digits "sent" and the mute state. */
export class SimulatedVoiceCall implements VoiceCall {
  private readonly listeners = new VoiceCallListeners();
  private muted = false;
  /** Every DTMF digit sent, in order (there is no audio path to send them on). */
  sentDigits = '';

  constructor(
    readonly serverCall: CallView,
    private readonly onDispose: () => void = () => undefined,
  ) {}

  on(listener: (event: VoiceCallEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  mute(muted: boolean): void {
    if (this.muted === muted) return;
    this.muted = muted;
    this.listeners.emit({ type: 'muted', muted });
  }

  sendDigits(digits: string): void {
    this.sentDigits += digits;
  }

  hangUp(): void {
    // The server plays the call: the session ends it with POST /api/calls/:id/hangup.
  }

  dispose(): void {
    this.listeners.clear();
    this.onDispose();
  }
}
