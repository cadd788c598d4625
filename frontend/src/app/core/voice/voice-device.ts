import { CallView, SimulatorScenario } from '../calls/call';

/**
 * What the dialer drives to place a call: the Twilio Voice SDK in the browser, or the simulator
 * provider on the server. The call's status always comes from the server (socket `call:updated`);
 * a device only reports what the server cannot know (local mute, audio, SDK errors).
 */
export interface VoiceDevice {
  readonly kind: VoiceDeviceKind;
  /**
   * Whether the call's `hangUp()` ends the call at the provider (Twilio: the SDK disconnects the
   * browser's leg). A simulated call is played by the server, which ends it on
   * `POST /api/calls/:id/hangup`: the session asks the api instead.
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
  /** Ends the browser's leg (Twilio); nothing for a call placed by the server (simulator). */
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
  | { type: 'error'; message: string }
  /** A call-quality warning raised (`active`) or cleared: `high-rtt`, `high-jitter`… */
  | { type: 'quality'; warning: string; active: boolean };

/** The Voice SDK's call-quality warnings, in words. */
export const QUALITY_WARNING_LABELS: Readonly<Record<string, string>> = {
  'high-rtt': 'High latency',
  'high-jitter': 'Jitter',
  'high-packet-loss': 'Packet loss',
  'low-mos': 'Poor audio quality',
  'high-packets-lost-fraction': 'Packet loss',
  'constant-audio-input-level': 'Microphone silent',
  'constant-audio-output-level': 'No sound received',
  'ice-connectivity-lost': 'Connection lost',
};

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
