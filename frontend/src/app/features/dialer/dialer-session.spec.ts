import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { TOKEN_STORAGE_KEY } from '../../core/auth/auth-service';
import { Quote } from '../../core/billing/billing';
import { CallView } from '../../core/calls/call';
import { RealtimeService } from '../../core/realtime/realtime-service';
import { FakeSocket, FakeSockets, makeCall } from '../../testing';
import { billableSeconds, costOfSeconds } from './call-cost';
import { DialerSession, FINAL_COST_REFETCH_MS } from './dialer-session';
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

describe('DialerSession with the simulated device', () => {
  let session: DialerSession;
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
        DialerSession,
        SimulatedVoiceDevice,
        provideHttpClient(),
        provideHttpClientTesting(),
        sockets.provider,
      ],
    });
    session = TestBed.inject(DialerSession);
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

  it('hangs up the simulated call locally and keeps following it for its cost', async () => {
    await dial();
    vi.setSystemTime(new Date(ANSWERED));
    push({ status: 'in_progress', answeredAt: ANSWERED });
    vi.advanceTimersByTime(5_000);
    session.hangUp();
    expect(session.status()).toBe('hung_up');
    expect(session.statusLabel()).toBe('Hung up (simulated)');
    expect(session.hangsUpAtProvider()).toBe(false);
    // Timers stopped: the view is frozen.
    vi.advanceTimersByTime(10_000);
    expect(session.elapsedSeconds()).toBe(5);
    expect(session.inProgress()).toBe(false);
    expect(session.wrapUp()).toBe(true);

    push({
      status: 'completed',
      durationSeconds: 45,
      endedAt: '2026-11-21T10:00:45.000Z',
      costMicros: '10400',
    });
    expect(session.status()).toBe('ended');
    expect(session.finalCostMicros()).toBe('10400');
    expect(ticker()).toBeNull();
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
