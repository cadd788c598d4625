import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import {
  TWILIO_SDK_LOADER,
  TwilioCallLike,
  TwilioDeviceLike,
  TwilioSdk,
  TwilioVoiceDevice,
} from './twilio-voice-device';
import { VoiceCallEvent } from './voice-device';

type Listener = (...args: never[]) => void;

/** A minimal EventEmitter, like the SDK's classes. */
class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  removeListener(event: string, listener: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener),
    );
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? [])
      (listener as (...a: unknown[]) => void)(...args);
  }
  count(): number {
    return [...this.listeners.values()].reduce((n, list) => n + list.length, 0);
  }
}

class FakeCall extends Emitter implements TwilioCallLike {
  muted = false;
  digits = '';
  disconnected = false;
  mute(shouldMute = true): void {
    this.muted = shouldMute;
    this.emit('mute', shouldMute, this);
  }
  sendDigits(digits: string): void {
    this.digits += digits;
  }
  disconnect(): void {
    this.disconnected = true;
    this.emit('disconnect', this);
  }
}

class FakeAudio {
  input: string | null = null;
  speakers: string[] = [];
  isOutputSelectionSupported = true;
  availableInputDevices = new Map([
    ['default', { deviceId: 'default', label: '' }],
    ['mic-2', { deviceId: 'mic-2', label: 'USB headset' }],
  ]);
  availableOutputDevices = new Map([['spk-1', { deviceId: 'spk-1', label: 'Speakers' }]]);
  get inputDevice() {
    return this.input ? { deviceId: this.input } : null;
  }
  setInputDevice(id: string): Promise<void> {
    this.input = id;
    return Promise.resolve();
  }
  speakerDevices = {
    set: (id: string | string[]) => {
      this.speakers = Array.isArray(id) ? id : [id];
      return Promise.resolve();
    },
  };
}

class FakeDevice extends Emitter implements TwilioDeviceLike {
  static created: FakeDevice[] = [];
  readonly audio = new FakeAudio();
  readonly tokens: string[] = [];
  readonly connects: { params: Record<string, string> }[] = [];
  readonly call = new FakeCall();
  destroyed = false;
  constructor(
    token: string,
    readonly options?: object,
  ) {
    super();
    this.tokens.push(token);
    FakeDevice.created.push(this);
  }
  updateToken(token: string): void {
    this.tokens.push(token);
  }
  connect(options: { params: Record<string, string> }): Promise<TwilioCallLike> {
    this.connects.push(options);
    return Promise.resolve(this.call);
  }
  destroy(): void {
    this.destroyed = true;
  }
}

describe('TwilioVoiceDevice', () => {
  let device: TwilioVoiceDevice;
  let backend: HttpTestingController;
  const sdk: TwilioSdk = { Device: FakeDevice };

  beforeEach(() => {
    FakeDevice.created = [];
    TestBed.configureTestingModule({
      providers: [
        TwilioVoiceDevice,
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: TWILIO_SDK_LOADER, useValue: () => Promise.resolve(sdk) },
      ],
    });
    device = TestBed.inject(TwilioVoiceDevice);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  /** Connects, answering the token request; returns the fake SDK device and the call's events. */
  async function connect(callerId: string | null = '+14155550142') {
    const connecting = device.connect({ to: '+14155550100', callerId });
    await vi
      .waitFor(() => backend.expectOne('/api/voice/token'))
      .then((request) => {
        expect(request.request.method).toBe('POST');
        request.flush({ token: 'token-1', identity: 'u1', expiresInSeconds: 3600 });
      });
    const call = await connecting;
    const events: VoiceCallEvent[] = [];
    call.on((event) => events.push(event));
    return { call, fake: FakeDevice.created[0], events };
  }

  it('builds the Device with a fetched token and connects with To and CallerId', async () => {
    const { fake, call } = await connect();
    expect(fake.tokens).toEqual(['token-1']);
    expect(fake.connects).toEqual([{ params: { To: '+14155550100', CallerId: '+14155550142' } }]);
    expect(call.serverCall).toBeNull();
    expect(device.hangsUpAtProvider).toBe(true);
  });

  it('leaves CallerId out when none is chosen, and reuses the device', async () => {
    const { fake } = await connect(null);
    expect(fake.connects[0]).toEqual({ params: { To: '+14155550100' } });
    await device.connect({ to: '+14155550101', callerId: null });
    expect(FakeDevice.created).toHaveLength(1);
    expect(fake.connects).toHaveLength(2);
  });

  it('renews the token on tokenWillExpire', async () => {
    const { fake } = await connect();
    fake.emit('tokenWillExpire', fake);
    backend
      .expectOne('/api/voice/token')
      .flush({ token: 'token-2', identity: 'u1', expiresInSeconds: 3600 });
    expect(fake.tokens).toEqual(['token-1', 'token-2']);
  });

  it('maps the call events', async () => {
    const { fake, events } = await connect();
    fake.call.emit('ringing', true);
    fake.call.emit('accept', fake.call);
    fake.call.emit('error', { code: 31005, message: 'Connection error' });
    fake.call.emit('cancel');
    fake.call.emit('reject');
    fake.call.emit('disconnect', fake.call);
    expect(events).toEqual([
      { type: 'ringing' },
      { type: 'accepted' },
      { type: 'error', message: 'Connection error (Twilio 31005)' },
      { type: 'ended', reason: 'cancel' },
      { type: 'ended', reason: 'reject' },
      { type: 'ended', reason: 'disconnect' },
    ]);
  });

  it('reports the SDK call-quality warnings as they are raised and cleared', async () => {
    const { fake, events } = await connect();
    fake.call.emit('warning', 'high-rtt', { value: 480 });
    fake.call.emit('warning', 'low-mos', {});
    fake.call.emit('warning-cleared', 'high-rtt');
    expect(events).toEqual([
      { type: 'quality', warning: 'high-rtt', active: true },
      { type: 'quality', warning: 'low-mos', active: true },
      { type: 'quality', warning: 'high-rtt', active: false },
    ]);
  });

  it('lists the microphones and speakers and switches them through device.audio', async () => {
    const { fake } = await connect();
    expect(await device.audioDevices()).toEqual({
      inputs: [
        { id: 'default', label: 'System default' },
        { id: 'mic-2', label: 'USB headset' },
      ],
      outputs: [{ id: 'spk-1', label: 'Speakers' }],
      outputSelectable: true,
      inputId: null,
    });
    await device.setMicrophone('mic-2');
    await device.setSpeaker('spk-1');
    expect(fake.audio.input).toBe('mic-2');
    expect(fake.audio.speakers).toEqual(['spk-1']);
    fake.audio.isOutputSelectionSupported = false;
    await expect(device.setSpeaker('spk-1')).rejects.toThrow(/default speaker only/);
  });

  it('passes device errors to the call in progress', async () => {
    const { fake, events } = await connect();
    fake.emit('error', { code: 31204, message: 'JWT is invalid' });
    expect(events).toEqual([{ type: 'error', message: 'JWT is invalid (Twilio 31204)' }]);
  });

  it('mutes, sends digits and hangs up through the SDK call', async () => {
    const { fake, call, events } = await connect();
    call.mute(true);
    expect(fake.call.muted).toBe(true);
    expect(events).toEqual([{ type: 'muted', muted: true }]);
    call.sendDigits('12#');
    expect(fake.call.digits).toBe('12#');
    call.hangUp();
    expect(fake.call.disconnected).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'ended', reason: 'disconnect' });
  });

  it('removes its listeners when the call is disposed and destroys the device', async () => {
    const { fake, call } = await connect();
    expect(fake.call.count()).toBeGreaterThan(0);
    call.dispose();
    expect(fake.call.count()).toBe(0);
    device.destroy();
    await vi.waitFor(() => expect(fake.destroyed).toBe(true));
    expect(fake.count()).toBe(0);
  });

  it('rejects with the SDK error when connecting fails', async () => {
    const connecting = device.connect({ to: '+14155550100', callerId: null });
    await vi
      .waitFor(() => backend.expectOne('/api/voice/token'))
      .then((request) =>
        request.flush({ token: 'token-1', identity: 'u1', expiresInSeconds: 3600 }),
      );
    await connecting;
    const fake = FakeDevice.created[0];
    fake.connect = () => Promise.reject({ code: 31208, message: 'Permission denied' });
    await expect(device.connect({ to: '+14155550100', callerId: null })).rejects.toThrow(
      'Permission denied (Twilio 31208)',
    );
  });
});
