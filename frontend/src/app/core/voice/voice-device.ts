import { CallView, SimulatorScenario } from '../../core/calls/call';

/**
 * What the dialer drives to place a call: the Twilio Voice SDK in the browser, or the simulator
 * provider on the server. The call's status always comes from the server (socket `call:updated`);
 * a device only reports what the server cannot know (local mute, audio, SDK errors).
 */
export interface VoiceDevice {
  readonly kind: VoiceDeviceKind;
  /**
   * Whether `hangUp()` ends the call at the provider. The simulator has no hang-up: its call
   * plays its script on the server, and hanging up only ends the local view.
   */
  readonly hangsUpAtProvider: boolean;
  /** Places a call; rejects with the reason it could not be placed (402 refusal, SDK error). */
  connect(request: DialRequest): Promise<VoiceCall>;
  /** Releases the device (SDK device, token timers, listeners). */
  destroy(): void;
}

export type VoiceDeviceKind = 'twilio' | 'simulator';

export const VOICE_DEVICE_LABELS: Readonly<Record<VoiceDeviceKind, string>> = {
  twilio: 'Browser (Twilio)',
  simulator: 'Simulator',
};

export interface DialRequest {
  /** E.164. */
  to: string;
  /** The number to show as the caller; null for the provider's default. */
  callerId: string | null;
  /** How the simulated call plays out (simulator only). */
  simulator?: SimulatorOptions;
}

export interface SimulatorOptions {
  scenario: SimulatorScenario;
  /** Seconds the simulated callee talks before hanging up. */
  talkSeconds: number;
}

/** One placed call, as the device sees it. */
export interface VoiceCall {
  /** The server's call when the device learns it at once (the simulator's `POST /api/calls`). */
  readonly serverCall: CallView | null;
  /** Calls `listener` with every event of the call until the returned function is called. */
  on(listener: (event: VoiceCallEvent) => void): () => void;
  mute(muted: boolean): void;
  /** DTMF tones: `0-9`, `*`, `#`. */
  sendDigits(digits: string): void;
  /** Ends the call at the provider (Twilio) or only the local view (simulator). */
  hangUp(): void;
  /** Removes every listener the call put on the SDK. */
  dispose(): void;
}

export type VoiceCallEvent =
  | { type: 'ringing' }
  | { type: 'accepted' }
  | { type: 'muted'; muted: boolean }
  /** The device's leg ended: hung up by either side, cancelled, or rejected. */
  | { type: 'ended'; reason: 'disconnect' | 'cancel' | 'reject' }
  | { type: 'error'; message: string };

/** A minimal listener list for the devices' calls. */
export class VoiceCallListeners {
  private readonly listeners = new Set<(event: VoiceCallEvent) => void>();

  add(listener: (event: VoiceCallEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: VoiceCallEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  clear(): void {
    this.listeners.clear();
  }
}
