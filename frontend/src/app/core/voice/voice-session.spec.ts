import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { AuthService, TOKEN_STORAGE_KEY } from '../auth/auth-service';
import { Quote } from '../billing/billing';
import { CallView } from '../calls/call';
import { RealtimeService } from '../realtime/realtime-service';
import { FakeSocket, FakeSockets, makeCall } from '../../testing';
import { billableSeconds, costOfSeconds } from './call-cost';
import { VoiceSession, FINAL_COST_REFETCH_MS } from './voice-session';
import { SimulatedVoiceCall, SimulatedVoiceDevice } from './simulated-voice-device';
import { VoiceCall, VoiceDevice } from './voice-device';

const ANSWERED = '2026-11-21T10:00:00.000Z';

function makeQuote(overrides: Partial<Quote> = {}): Quote {
  return {
    to: '+14155550100',
    country: 'US',
    countryName: 'United States',
    rate: {
      prefix: '1',
      description: 'United States',
      ratePerMinuteMicros: '13000',
      initialIncrement: 6,
      subsequentIncrement: 6,
      minimumSeconds: 0,
      currency: 'USD',
      source: 'default',
    },
    availableMicros: '25000000',
    doNotCall: false,
    maxAffordableSeconds: 3600,
    minimumCallCostMicros: '1300',
    refusal: null,
    ...overrides,
  };
}

describe('call cost', () => {
  const sixSix = { initialIncrement: 6, subsequentIncrement: 6, minimumSeconds: 0 };

  it('rounds talk time up to the billing increments', () => {
    expect(billableSeconds(0, sixSix)).toBe(0);
    expect(billableSeconds(1, sixSix)).toBe(6);
    expect(billableSeconds(7, sixSix)).toBe(12);
    expect(billableSeconds(12, sixSix)).toBe(12);
    expect(
      billableSeconds(61, { initialIncrement: 60, subsequentIncrement: 60, minimumSeconds: 0 }),
    ).toBe(120);
    expect(
      billableSeconds(5, { initialIncrement: 30, subsequentIncrement: 6, minimumSeconds: 0 }),
    ).toBe(30);
    expect(
      billableSeconds(31, { initialIncrement: 30, subsequentIncrement: 6, minimumSeconds: 0 }),
    ).toBe(36);
    expect(
      billableSeconds(3, { initialIncrement: 1, subsequentIncrement: 1, minimumSeconds: 10 }),
    ).toBe(10);
  });

  it('prices billed seconds with BigInt, rounding up to the micro', () => {
    // 7 s at 6/6 → 12 s billed at 0.013/min → 0.0026.
    expect(costOfSeconds(billableSeconds(7, sixSix), '13000')).toBe(2600n);
    expect(costOfSeconds(1, '13000')).toBe(217n); // 216.67 rounded up
    expect(costOfSeconds(60, '9007199254740993')).toBe(9007199254740993n);
  });
});

describe('VoiceSession with the simulated device', () => {
  let session: VoiceSession;
  let backend: HttpTestingController;
  let socket: FakeSocket;

  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'],
    });
    vi.setSystemTime(new Date('2026-11-21T09:59:50.000Z'));
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt');
    const sockets = new FakeSockets();
    TestBed.configureTestingModule({
      providers: [
        VoiceSession,
        SimulatedVoiceDevice,
        provideHttpClient(),
        provideHttpClientTesting(),
        sockets.provider,
      ],
    });
    session = TestBed.inject(VoiceSession);
    session.useDevice(TestBed.inject(SimulatedVoiceDevice));
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(RealtimeService).start();
    socket = sockets.last;
    socket.accept();
  });

  afterEach(() => {
    backend.verify();
    localStorage.clear();
    vi.useRealTimers();
  });

  const placed = makeCall({
    id: 'call-1',
    status: 'initiated',
    answeredAt: null,
    endedAt: null,
    durationSeconds: null,
    costMicros: null,
    timeLimitSeconds: 120,
    hangupReason: null,
  });

  /** Dials and answers the simulator's POST with `placed`. */
  async function dial(): Promise<void> {
    const dialing = session.dial(
      {
        to: '+14155550100',
        callerId: '+14155550142',
        simulator: { scenario: 'completed', talkSeconds: 45 },
      },
      makeQuote(),
    );
    expect(session.status()).toBe('dialing');
    const request = backend.expectOne('/api/calls');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({
      provider: 'simulator',
      to: '+14155550100',
      from: '+14155550142',
      scenario: 'completed',
      talkSeconds: 45,
    });
    request.flush(placed);
    await dialing;
  }

  const ticker = () => (session as unknown as { ticker: unknown }).ticker;

  const push = (changes: Partial<CallView>) =>
    socket.push('call:updated', { ...placed, ...changes });

  it('follows the server status: dialing, ringing, in progress, ended with the reason', async () => {
    await dial();
    expect(session.status()).toBe('dialing');
    push({ status: 'ringing' });
    expect(session.status()).toBe('ringing');
    expect(session.statusLabel()).toBe('Ringing…');
    push({ status: 'in_progress', answeredAt: ANSWERED });
    expect(session.status()).toBe('in_progress');
    // An older copy arriving late does not move the status back.
    push({ status: 'ringing' });
    expect(session.status()).toBe('in_progress');
    push({
      status: 'busy',
      endedAt: '2026-11-21T10:00:05.000Z',
      hangupReason: 'Callee busy',
      costMicros: '0',
      durationSeconds: 0,
    });
    expect(session.status()).toBe('ended');
    expect(session.statusLabel()).toBe('Ended · Busy (Callee busy)');
    expect(session.phase()).toBe('ended');
  });

  it('takes a push that arrives before the POST response', async () => {
    const dialing = session.dial({ to: '+14155550100', callerId: null }, makeQuote());
    push({ status: 'ringing' });
    backend.expectOne('/api/calls').flush(placed);
    await dialing;
    expect(session.status()).toBe('ringing');
  });

  it('runs the timer from answeredAt, with the running cost and the time left', async () => {
    await dial();
    vi.setSystemTime(new Date(ANSWERED));
    push({ status: 'in_progress', answeredAt: ANSWERED });
    expect(session.elapsedSeconds()).toBe(0);
    expect(session.runningCostMicros()).toBe(0n);

    vi.advanceTimersByTime(7_000);
    expect(session.elapsedSeconds()).toBe(7);
    expect(session.billedSeconds()).toBe(12);
    expect(session.runningCostMicros()).toBe(2600n);
    expect(session.remainingSeconds()).toBe(113);
    expect(session.lowTime()).toBe(false);

    vi.advanceTimersByTime(60_000);
    expect(session.elapsedSeconds()).toBe(67);
    expect(session.remainingSeconds()).toBe(53);
    expect(session.lowTime()).toBe(true);
  });

  it('mutes and sends DTMF only while the call is in progress', async () => {
    await dial();
    const voiceCall = (session as unknown as { voiceCall: SimulatedVoiceCall }).voiceCall;
    expect(session.sendDigits('1')).toBe(false);
    session.toggleMute();
    expect(session.muted()).toBe(false);

    push({ status: 'in_progress', answeredAt: ANSWERED });
    expect(session.sendDigits('1')).toBe(true);
    expect(session.sendDigits('2')).toBe(true);
    expect(session.sendDigits('#')).toBe(true);
    expect(session.sendDigits('x')).toBe(false);
    expect(session.digits()).toBe('12#');
    expect(voiceCall.sentDigits).toBe('12#');
    session.toggleMute();
    expect(session.muted()).toBe(true);
    session.toggleMute();
    expect(session.muted()).toBe(false);

    push({
      status: 'completed',
      endedAt: '2026-11-21T10:00:45.000Z',
      durationSeconds: 45,
      costMicros: '10400',
    });
    expect(session.sendDigits('3')).toBe(false);
    expect(session.digits()).toBe('12#');
  });

  it('shows the final cost from the server, fetching the call when the push is late', async () => {
    await dial();
    push({ status: 'in_progress', answeredAt: ANSWERED });
    push({
      status: 'completed',
      answeredAt: ANSWERED,
      endedAt: '2026-11-21T10:00:45.000Z',
      durationSeconds: 45,
    });
    expect(session.status()).toBe('ended');
    expect(session.elapsedSeconds()).toBe(45);
    expect(session.finalCostMicros()).toBeNull();

    vi.advanceTimersByTime(FINAL_COST_REFETCH_MS);
    backend.expectOne('/api/calls/call-1').flush({
      ...placed,
      status: 'completed',
      answeredAt: ANSWERED,
      durationSeconds: 45,
      costMicros: '10400',
      timeline: [],
    });
    expect(session.finalCostMicros()).toBe('10400');
  });

  it('hangs up the simulated call on the server and follows it to its end and cost', async () => {
    await dial();
    vi.setSystemTime(new Date(ANSWERED));
    push({ status: 'in_progress', answeredAt: ANSWERED });
    vi.advanceTimersByTime(5_000);
    session.hangUp();
    const request = backend.expectOne('/api/calls/call-1/hangup');
    expect(request.request.method).toBe('POST');
    expect(session.status()).toBe('ending');
    expect(session.inProgress()).toBe(false);
    session.hangUp(); // a second press while the first is under way asks nothing more
    backend.expectNone('/api/calls/call-1/hangup');
    request.flush({ ...placed, status: 'in_progress', answeredAt: ANSWERED });
    expect(session.busy()).toBe(true); // until the server says the call ended

    push({
      status: 'completed',
      answeredAt: ANSWERED,
      durationSeconds: 5,
      endedAt: '2026-11-21T10:00:05.000Z',
      costMicros: '1300',
      hangupReason: 'Hung up from Switchboard',
    });
    expect(session.status()).toBe('ended');
    expect(session.elapsedSeconds()).toBe(5);
    expect(session.finalCostMicros()).toBe('1300');
    expect(session.wrapUp()).toBe(true);
    expect(ticker()).toBeNull();
  });

  it('shows a refused hang-up and lets the agent try again', async () => {
    await dial();
    push({ status: 'in_progress', answeredAt: ANSWERED });
    session.hangUp();
    backend
      .expectOne('/api/calls/call-1/hangup')
      .flush(
        { statusCode: 409, message: 'Exotel has no documented API to end a call' },
        { status: 409, statusText: 'Conflict' },
      );
    expect(session.hangupError()).toBe('Exotel has no documented API to end a call');
    expect(session.status()).toBe('in_progress');
    backend
      .expectOne('/api/calls/call-1')
      .flush({ ...placed, status: 'in_progress', timeline: [] });
    session.hangUp();
    backend.expectOne('/api/calls/call-1/hangup').flush({ ...placed, status: 'in_progress' });
    expect(session.hangupError()).toBeNull();
  });

  it('blocks a second call while one is live, and keeps the device while it is', async () => {
    await dial();
    expect(session.busy()).toBe(true);
    await session.dial({ to: '+14155550199', callerId: null }, makeQuote());
    backend.expectNone('/api/calls');
    expect(session.call()?.id).toBe('call-1');
    session.reset();
    expect(session.call()?.id).toBe('call-1');
  });

  it('finds the agent’s live call again after a reload, with its rate, and hangs it up through the api', async () => {
    const auth = TestBed.inject(AuthService) as unknown as { userState: { set(u: unknown): void } };
    auth.userState.set({ id: 'u-admin', role: 'agent' });
    vi.setSystemTime(new Date('2026-11-21T10:00:07.000Z'));
    session.restore();
    const live = backend.expectOne((r) => r.url === '/api/calls');
    expect(live.request.params.get('status')).toBe('initiated,ringing,in_progress');
    expect(live.request.params.get('agentId')).toBe('u-admin');
    live.flush({
      items: [{ ...placed, status: 'in_progress', answeredAt: ANSWERED }],
      nextCursor: null,
    });
    backend.expectOne('/api/calls/call-1').flush({
      ...placed,
      status: 'in_progress',
      answeredAt: ANSWERED,
      timeline: [],
      canHangUp: true,
    });
    backend.expectOne((r) => r.url === '/api/billing/quote').flush(makeQuote());
    expect(session.hangupUnsupportedReason()).toBeNull();
    expect(session.status()).toBe('in_progress');
    expect(session.restored()).toBe(true);
    expect(session.elapsedSeconds()).toBe(7);
    expect(session.runningCostMicros()).not.toBeNull();
    expect(session.canControlAudio()).toBe(false); // the device's leg did not survive the reload
    session.hangUp();
    backend.expectOne('/api/calls/call-1/hangup').flush({ ...placed, status: 'in_progress' });
    expect(session.status()).toBe('ending');
  });

  it('follows the agent’s own call pushed while idle (placed in another tab)', () => {
    const auth = TestBed.inject(AuthService) as unknown as { userState: { set(u: unknown): void } };
    auth.userState.set({ id: 'u-admin', role: 'agent' });
    socket.push('call:created', { ...placed, id: 'call-9', provider: 'exotel' });
    backend.expectOne('/api/calls/call-9').flush({
      ...placed,
      id: 'call-9',
      provider: 'exotel',
      timeline: [],
      canHangUp: false,
      hangupUnsupportedReason: 'Exotel has no documented API to end a call',
    });
    backend.expectOne((r) => r.url === '/api/billing/quote').flush(makeQuote());
    expect(session.call()?.id).toBe('call-9');
    expect(session.busy()).toBe(true);
    // Hang-up is off, saying why; pressing it asks nothing.
    expect(session.hangupUnsupportedReason()).toBe('Exotel has no documented API to end a call');
    session.hangUp();
    backend.expectNone('/api/calls/call-9/hangup');
    socket.push('call:created', { ...placed, id: 'call-10', agent: { id: 'u-2', name: 'Other' } });
    expect(session.call()?.id).toBe('call-9');
  });

  it('stores call-quality warnings with the call and shows the active ones', async () => {
    const listeners: ((event: never) => void)[] = [];
    const fakeCall: VoiceCall = {
      serverCall: placed,
      on: (listener) => (listeners.push(listener as never), () => undefined),
      mute: () => undefined,
      sendDigits: () => undefined,
      hangUp: () => undefined,
      dispose: () => undefined,
    };
    session.useDevice({
      kind: 'twilio',
      hangsUpAtProvider: true,
      connect: () => Promise.resolve(fakeCall),
      destroy: () => undefined,
    });
    await session.dial({ to: '+14155550100', callerId: null }, makeQuote());
    const emit = (event: unknown) => listeners.forEach((listener) => listener(event as never));
    emit({ type: 'quality', warning: 'high-rtt', active: true });
    emit({ type: 'quality', warning: 'low-mos', active: true });
    expect(session.qualityLabel()).toBe('High latency, Poor audio quality');
    const reports = backend.match('/api/calls/call-1/quality-warnings');
    expect(reports.map((r) => r.request.body)).toEqual([
      { warning: 'high-rtt', cleared: false },
      { warning: 'low-mos', cleared: false },
    ]);
    reports.forEach((r) => r.flush(null));
    emit({ type: 'quality', warning: 'high-rtt', active: false });
    backend.expectOne('/api/calls/call-1/quality-warnings').flush(null);
    expect(session.qualityWarnings()).toEqual(['low-mos']);
  });

  it('cleans up on end: no timer left, the device listeners removed', async () => {
    await dial();
    const voiceCall = (session as unknown as { voiceCall: SimulatedVoiceCall }).voiceCall;
    const dispose = vi.spyOn(voiceCall, 'dispose');
    push({ status: 'in_progress', answeredAt: ANSWERED });
    expect(ticker()).not.toBeNull();
    push({
      status: 'completed',
      durationSeconds: 45,
      endedAt: '2026-11-21T10:00:45.000Z',
      costMicros: '10400',
    });
    expect(dispose).toHaveBeenCalled();
    expect(ticker()).toBeNull();
    expect((session as unknown as { stopListening: unknown }).stopListening).toBeNull();
  });

  it('shows why a call could not be placed', async () => {
    const dialing = session.dial({ to: '+14155550100', callerId: null }, makeQuote());
    backend
      .expectOne('/api/calls')
      .flush(
        { statusCode: 402, message: 'Insufficient balance: 0.00 available' },
        { status: 402, statusText: 'Payment Required' },
      );
    await dialing;
    expect(session.status()).toBe('failed');
    expect(session.error()).toBe('Insufficient balance: 0.00 available');
    expect(session.busy()).toBe(false);
  });

  it('shows device errors during the call', async () => {
    const listeners: ((event: never) => void)[] = [];
    const fakeCall: VoiceCall = {
      serverCall: placed,
      on: (listener) => (listeners.push(listener as never), () => undefined),
      mute: () => undefined,
      sendDigits: () => undefined,
      hangUp: () => undefined,
      dispose: () => undefined,
    };
    const device: VoiceDevice = {
      kind: 'simulator',
      hangsUpAtProvider: false,
      connect: () => Promise.resolve(fakeCall),
      destroy: () => undefined,
    };
    session.useDevice(device);
    await session.dial({ to: '+14155550100', callerId: null }, makeQuote());
    listeners.forEach((listener) =>
      listener({ type: 'error', message: 'Microphone blocked' } as never),
    );
    expect(session.error()).toBe('Microphone blocked');
  });

  it('saves the note and disposition of the ended call', async () => {
    await dial();
    push({
      status: 'completed',
      durationSeconds: 0,
      endedAt: '2026-11-21T10:00:45.000Z',
      costMicros: '0',
    });
    session.saveNote({ disposition: 'callback', note: 'Call after 5' })?.subscribe();
    const request = backend.expectOne('/api/calls/call-1');
    expect(request.request.method).toBe('PATCH');
    expect(request.request.body).toEqual({ disposition: 'callback', note: 'Call after 5' });
    request.flush({
      ...placed,
      status: 'completed',
      disposition: 'callback',
      note: 'Call after 5',
    });
    expect(session.noteSaved()).toBe(true);
    expect(session.call()?.disposition).toBe('callback');
  });
});
