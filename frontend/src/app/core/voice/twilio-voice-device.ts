import { Injectable, InjectionToken, OnDestroy, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { VoiceApi } from '../calls/voice-api';
import {
  DialRequest,
  VoiceCall,
  VoiceCallEvent,
  VoiceCallListeners,
  VoiceDevice,
} from './voice-device';

type Listener = (...args: never[]) => void;

/** The part of the SDK's `Call` the device uses (a fake in specs). */
export interface TwilioCallLike {
  on(event: string, listener: Listener): unknown;
  removeListener(event: string, listener: Listener): unknown;
  mute(shouldMute?: boolean): void;
  sendDigits(digits: string): void;
  disconnect(): void;
}

/** The part of the SDK's `AudioHelper` (`device.audio`) the device uses. */
export interface TwilioAudioLike {
  availableInputDevices: Map<string, { deviceId: string; label: string }>;
  availableOutputDevices: Map<string, { deviceId: string; label: string }>;
  isOutputSelectionSupported: boolean;
  inputDevice?: { deviceId: string } | null;
  setInputDevice(deviceId: string): Promise<void>;
  speakerDevices: {
    set(deviceIdOrIds: string | string[]): Promise<void>;
    get?(): Set<{ deviceId: string }>;
  };
}

/** The part of the SDK's `Device` the device uses (a fake in specs). */
export interface TwilioDeviceLike {
  on(event: string, listener: Listener): unknown;
  removeListener(event: string, listener: Listener): unknown;
  updateToken(token: string): void;
  connect(options: { params: Record<string, string> }): Promise<TwilioCallLike>;
  destroy(): void;
  audio?: TwilioAudioLike | null;
}

/** A microphone or speaker the browser offers. */
export interface AudioDeviceOption {
  id: string;
  label: string;
}

/** The microphones and speakers to choose from. */
export interface AudioDeviceChoices {
  inputs: AudioDeviceOption[];
  outputs: AudioDeviceOption[];
  /** Browsers without `setSinkId` (Firefox, Safari) play on the default speaker only. */
  outputSelectable: boolean;
  inputId: string | null;
}

export interface TwilioSdk {
  Device: new (
    token: string,
    options?: { closeProtection?: boolean; logLevel?: string },
  ) => TwilioDeviceLike;
}

/**
 * Loads the Voice SDK. A dynamic import, so that its 166 kB (CommonJS: `events`, `loglevel`) stay
 * out of the initial bundle and load only when browser calling is enabled.
 */
export const TWILIO_SDK_LOADER = new InjectionToken<() => Promise<TwilioSdk>>('TWILIO_SDK_LOADER', {
  providedIn: 'root',
  factory: () => () => import('@twilio/voice-sdk') as unknown as Promise<TwilioSdk>,
});

/** An SDK error (`TwilioError`) or anything thrown, as a sentence. */
export function twilioErrorMessage(error: unknown): string {
  if (error && typeof error === 'object') {
    const { code, description, message } = error as {
      code?: number;
      description?: string;
      message?: string;
    };
    const text = message || description || 'Browser calling failed';
    return code ? `${text} (Twilio ${code})` : text;
  }
  return typeof error === 'string' && error ? error : 'Browser calling failed';
}

/**
 * Browser calling with the Twilio Voice SDK: a `Device` built with a token from
 * `/api/voice/token` and refreshed before it expires; `connect` asks Twilio to call `To` from
 * `CallerId` (the server's voice webhook creates the call, which the dialer then follows).
 */
@Injectable({ providedIn: 'root' })
export class TwilioVoiceDevice implements VoiceDevice, OnDestroy {
  private readonly voiceApi = inject(VoiceApi);
  private readonly loadSdk = inject(TWILIO_SDK_LOADER);

  readonly kind = 'twilio' as const;
  readonly hangsUpAtProvider = true;

  private device: Promise<TwilioDeviceLike> | null = null;
  private readonly calls = new Set<TwilioVoiceCall>();
  private readonly deviceListeners: [string, Listener][] = [];
  private destroyed = false;

  async connect(request: DialRequest): Promise<VoiceCall> {
    const device = await this.ready();
    const params: Record<string, string> = { To: request.to };
    if (request.callerId) params['CallerId'] = request.callerId;
    let sdkCall: TwilioCallLike;
    try {
      sdkCall = await device.connect({ params });
    } catch (error) {
      throw new Error(twilioErrorMessage(error), { cause: error });
    }
    const call = new TwilioVoiceCall(sdkCall, () => this.calls.delete(call));
    this.calls.add(call);
    return call;
  }

  destroy(): void {
    this.destroyed = true;
    for (const call of [...this.calls]) call.dispose();
    const device = this.device;
    this.device = null;
    void device?.then(
      (d) => {
        for (const [event, listener] of this.deviceListeners) d.removeListener(event, listener);
        this.deviceListeners.length = 0;
        d.destroy();
      },
      () => undefined,
    );
  }

  ngOnDestroy(): void {
    this.destroy();
  }

  /** The microphones and speakers the browser offers (creates the SDK device if needed). */
  async audioDevices(): Promise<AudioDeviceChoices> {
    const audio = (await this.ready()).audio;
    if (!audio) return { inputs: [], outputs: [], outputSelectable: false, inputId: null };
    const list = (devices: Map<string, { deviceId: string; label: string }>) =>
      [...devices.values()].map((d, i) => ({
        id: d.deviceId,
        label: d.label || (d.deviceId === 'default' ? 'System default' : `Device ${i + 1}`),
      }));
    return {
      inputs: list(audio.availableInputDevices),
      outputs: list(audio.availableOutputDevices),
      outputSelectable: audio.isOutputSelectionSupported,
      inputId: audio.inputDevice?.deviceId ?? null,
    };
  }

  /** Uses this microphone for calls (the current one too). */
  async setMicrophone(deviceId: string): Promise<void> {
    const audio = (await this.ready()).audio;
    if (!audio) throw new Error('This browser does not let Switchboard choose the microphone');
    await audio.setInputDevice(deviceId);
  }

  /** Plays calls on this speaker. */
  async setSpeaker(deviceId: string): Promise<void> {
    const audio = (await this.ready()).audio;
    if (!audio?.isOutputSelectionSupported) {
      throw new Error('This browser plays calls on its default speaker only');
    }
    await audio.speakerDevices.set(deviceId);
  }

  /** The SDK device, created on first use. */
  private ready(): Promise<TwilioDeviceLike> {
    if (this.destroyed) return Promise.reject(new Error('The voice device was closed'));
    this.device ??= this.createDevice().catch((error: unknown) => {
      this.device = null; // let the next call try again
      throw error;
    });
    return this.device;
  }

  private async createDevice(): Promise<TwilioDeviceLike> {
    const [sdk, { token }] = await Promise.all([
      this.loadSdk(),
      firstValueFrom(this.voiceApi.token()),
    ]);
    const device = new sdk.Device(token, { closeProtection: true, logLevel: 'error' });
    this.listen(device, 'tokenWillExpire', () => {
      this.voiceApi.token().subscribe({
        next: (fresh) => device.updateToken(fresh.token),
        error: (error: unknown) =>
          this.broadcast({
            type: 'error',
            message: `Could not renew the calling token: ${twilioErrorMessage(error)}`,
          }),
      });
    });
    this.listen(device, 'error', (error: unknown) =>
      this.broadcast({ type: 'error', message: twilioErrorMessage(error) }),
    );
    return device;
  }

  private listen(device: TwilioDeviceLike, event: string, listener: (arg: never) => void): void {
    device.on(event, listener);
    this.deviceListeners.push([event, listener]);
  }

  /** Device-level errors concern the calls in progress. */
  private broadcast(event: VoiceCallEvent): void {
    for (const call of this.calls) call.emit(event);
  }
}

/** One SDK call, its events mapped to `VoiceCallEvent`s. */
export class TwilioVoiceCall implements VoiceCall {
  readonly serverCall = null;
  private readonly listeners = new VoiceCallListeners();
  private readonly sdkListeners: [string, Listener][] = [];

  constructor(
    private readonly call: TwilioCallLike,
    private readonly onDispose: () => void = () => undefined,
  ) {
    this.listen('ringing', () => this.emit({ type: 'ringing' }));
    this.listen('accept', () => this.emit({ type: 'accepted' }));
    this.listen('mute', (muted: boolean) => this.emit({ type: 'muted', muted }));
    this.listen('disconnect', () => this.emit({ type: 'ended', reason: 'disconnect' }));
    this.listen('cancel', () => this.emit({ type: 'ended', reason: 'cancel' }));
    this.listen('reject', () => this.emit({ type: 'ended', reason: 'reject' }));
    this.listen('error', (error: unknown) =>
      this.emit({ type: 'error', message: twilioErrorMessage(error) }),
    );
    // Call-quality warnings (high-rtt, high-jitter, high-packet-loss, low-mos…).
    this.listen('warning', (name: string) =>
      this.emit({ type: 'quality', warning: String(name), active: true }),
    );
    this.listen('warning-cleared', (name: string) =>
      this.emit({ type: 'quality', warning: String(name), active: false }),
    );
  }

  on(listener: (event: VoiceCallEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  emit(event: VoiceCallEvent): void {
    this.listeners.emit(event);
  }

  mute(muted: boolean): void {
    this.call.mute(muted);
  }

  sendDigits(digits: string): void {
    this.call.sendDigits(digits);
  }

  hangUp(): void {
    this.call.disconnect();
  }

  dispose(): void {
    for (const [event, listener] of this.sdkListeners) this.call.removeListener(event, listener);
    this.sdkListeners.length = 0;
    this.listeners.clear();
    this.onDispose();
  }

  private listen<T>(event: string, listener: (arg: T) => void): void {
    const wrapped = listener as Listener;
    this.call.on(event, wrapped);
    this.sdkListeners.push([event, wrapped]);
  }
}
