import { DestroyRef, Injectable, Injector, computed, inject, signal } from '@angular/core';
import { Observable, finalize, tap } from 'rxjs';

import { ApiError } from '../api/api-error';
import { AuthService } from '../auth/auth-service';
import { Quote } from '../billing/billing';
import { BillingApi } from '../billing/billing-api';
import {
  CALL_STATUS_LABELS,
  CallNote,
  CallView,
  isOlderCall,
  isTerminalStatus,
} from '../calls/call';
import { CallsApi } from '../calls/calls-api';
import { RealtimeService } from '../realtime/realtime-service';
import { billableSeconds, costOfSeconds } from './call-cost';
import { SimulatedVoiceDevice } from './simulated-voice-device';
import { TwilioVoiceDevice } from './twilio-voice-device';
import {
  DialRequest,
  QUALITY_WARNING_LABELS,
  VoiceCall,
  VoiceCallEvent,
  VoiceDevice,
  VoiceDeviceKind,
} from './voice-device';

/** How often the running timer and cost are recomputed. */
export const TICK_MS = 250;
/** Under this many affordable seconds left, the remaining time is shown as a warning. */
export const LOW_TIME_SECONDS = 60;
/** A terminal call without its cost is fetched again after this long (the push may be late). */
export const FINAL_COST_REFETCH_MS = 4000;

/** What the dialer shows: idle; placing the call; a call under way; a call that ended. */
export type DialerPhase = 'idle' | 'connecting' | 'active' | 'ended';

/** The normalized state the UI shows (and e2e reads as `data-status`). */
export type DialerStatus =
  'idle' | 'dialing' | 'ringing' | 'in_progress' | 'ending' | 'ended' | 'failed';

interface SessionState {
  phase: DialerPhase;
  request: DialRequest | null;
  quote: Quote | null;
  /** The server's view of the call (socket `call:updated`), once known. */
  call: CallView | null;
  /** When `dial()` was called (client clock): the Twilio call created after it is ours. */
  dialedAt: number;
  muted: boolean;
  /** DTMF digits sent during the call. */
  digits: string;
  /** The device failed to place the call, or reported an error. */
  error: string | null;
  /** `POST /api/calls/:id/hangup` was sent: the server's end is on its way. */
  hangingUp: boolean;
  /** The hang-up request failed (the provider refused, or the api could not be reached). */
  hangupError: string | null;
  /** Picked up again from the server (after a reload): no device leg to mute or send tones on. */
  restored: boolean;
  /** Call-quality warnings the device reports now (`high-rtt`, `low-mos`…). */
  qualityWarnings: readonly string[];
  /** Why the server cannot end this call (its provider has no way): hang-up is off, with this. */
  hangupUnsupportedReason: string | null;
  /** The device's leg ended (Twilio) before the server said how. */
  deviceEnded: boolean;
  /** Elapsed seconds frozen when the local view stopped before the server's end. */
  frozenElapsed: number | null;
  noteSaving: boolean;
  noteSaved: boolean;
  noteError: string | null;
}

const IDLE: SessionState = {
  phase: 'idle',
  request: null,
  quote: null,
  call: null,
  dialedAt: 0,
  muted: false,
  digits: '',
  error: null,
  hangingUp: false,
  hangupError: null,
  restored: false,
  qualityWarnings: [],
  hangupUnsupportedReason: null,
  deviceEnded: false,
  frozenElapsed: null,
  noteSaving: false,
  noteSaved: false,
  noteError: null,
};

/**
 * The agent's call, owned by the app (one per signed-in console, not per page): the dialer, the
 * call bar shown on every page, history and the dashboard all read and drive this one session, so
 * navigating never drops the call, and a second call cannot start while one is live. After a
 * reload `restore()` finds the agent's live call on the server again.
 *
 * One call, as signals. The status follows the server's normalized call state
 * (socket `call:updated`: dialing → ringing → in progress → ended with the reason); the device's
 * own events only bring what the server cannot know (local mute, SDK errors). The timer runs from
 * `answeredAt`; the running cost is the quote's rate applied to the billed seconds so far (BigInt).
 */
@Injectable({ providedIn: 'root' })
export class VoiceSession {
  private readonly api = inject(CallsApi);
  private readonly billing = inject(BillingApi);
  private readonly auth = inject(AuthService);
  private readonly injector = inject(Injector);
  private restoring = false;
  /** Quality warnings reported before the server's call was known (Twilio): sent once it is. */
  private pendingQuality: { warning: string; cleared: boolean }[] = [];

  private readonly state = signal<SessionState>(IDLE);
  private readonly now = signal(Date.now());
  private device: VoiceDevice | null = null;
  private voiceCall: VoiceCall | null = null;
  private stopListening: (() => void) | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private refetchTimer: ReturnType<typeof setTimeout> | null = null;
  /** Calls pushed while the device was placing ours: the push may beat the HTTP response. */
  private readonly pushedWhileConnecting = new Map<string, CallView>();

  readonly phase = computed(() => this.state().phase);
  readonly call = computed(() => this.state().call);
  readonly request = computed(() => this.state().request);
  readonly quote = computed(() => this.state().quote);
  readonly muted = computed(() => this.state().muted);
  readonly digits = computed(() => this.state().digits);
  readonly error = computed(() => this.state().error);
  readonly hangingUp = computed(() => this.state().hangingUp);
  readonly hangupError = computed(() => this.state().hangupError);
  readonly restored = computed(() => this.state().restored);
  readonly hangupUnsupportedReason = computed(() => this.state().hangupUnsupportedReason);
  readonly qualityWarnings = computed(() => this.state().qualityWarnings);
  /** The warnings in words, for the badge (empty: the call sounds fine). */
  readonly qualityLabel = computed(() =>
    this.state()
      .qualityWarnings.map((w) => QUALITY_WARNING_LABELS[w] ?? w)
      .join(', '),
  );
  /** Who is on the other end: the contact's name, else the number. */
  readonly counterpart = computed(() => {
    const { call, request } = this.state();
    return { name: call?.contact?.name ?? null, number: call?.to ?? request?.to ?? '' };
  });
  readonly noteSaving = computed(() => this.state().noteSaving);
  readonly noteSaved = computed(() => this.state().noteSaved);
  readonly noteError = computed(() => this.state().noteError);
  readonly deviceKind = signal<VoiceDevice['kind'] | null>(null);

  readonly busy = computed(() => {
    const phase = this.state().phase;
    return phase === 'connecting' || phase === 'active';
  });

  readonly status = computed<DialerStatus>(() => {
    const { phase, call, hangingUp, deviceEnded, error } = this.state();
    if (phase === 'idle') return 'idle';
    if (call && isTerminalStatus(call.status)) return 'ended';
    if (!call) return error && phase === 'ended' ? 'failed' : deviceEnded ? 'ended' : 'dialing';
    if (deviceEnded || hangingUp) return 'ending';
    if (call.status === 'ringing') return 'ringing';
    if (call.status === 'in_progress') return 'in_progress';
    return 'dialing';
  });

  readonly statusLabel = computed(() => {
    const call = this.state().call;
    switch (this.status()) {
      case 'idle':
        return 'Ready';
      case 'dialing':
        return 'Dialing…';
      case 'ringing':
        return 'Ringing…';
      case 'in_progress':
        return 'In progress';
      case 'ending':
        return 'Ending…';
      case 'failed':
        return 'Call not placed';
      case 'ended': {
        if (!call) return 'Call ended';
        const label = `Ended · ${CALL_STATUS_LABELS[call.status]}`;
        return call.hangupReason ? `${label} (${call.hangupReason})` : label;
      }
    }
  });

  /** Seconds since the call was answered: live while in progress, then frozen. */
  readonly elapsedSeconds = computed<number | null>(() => {
    const { call, frozenElapsed } = this.state();
    if (!call?.answeredAt) return null;
    if (isTerminalStatus(call.status) && call.durationSeconds !== null) {
      return call.durationSeconds;
    }
    if (frozenElapsed !== null) return frozenElapsed;
    const answered = Date.parse(call.answeredAt);
    const until = call.endedAt ? Date.parse(call.endedAt) : this.now();
    return Math.max(0, Math.floor((until - answered) / 1000));
  });

  /** Seconds billed so far at the quote's increments. */
  readonly billedSeconds = computed(() => {
    const rate = this.state().quote?.rate;
    const elapsed = this.elapsedSeconds();
    return rate && elapsed !== null ? billableSeconds(elapsed, rate) : null;
  });

  /** The running cost in micros (the quote's rate; the server's final cost replaces it). */
  readonly runningCostMicros = computed<bigint | null>(() => {
    const rate = this.state().quote?.rate;
    const billed = this.billedSeconds();
    return rate && billed !== null ? costOfSeconds(billed, rate.ratePerMinuteMicros) : null;
  });

  /** The server's final cost, once the call ended and was rated. */
  readonly finalCostMicros = computed(() => {
    const call = this.state().call;
    return call && isTerminalStatus(call.status) ? call.costMicros : null;
  });

  /** Affordable seconds left: the server's time limit minus the talk time so far. */
  readonly remainingSeconds = computed<number | null>(() => {
    const limit = this.state().call?.timeLimitSeconds;
    const elapsed = this.elapsedSeconds() ?? 0;
    return limit === null || limit === undefined ? null : Math.max(0, limit - elapsed);
  });

  readonly lowTime = computed(() => {
    const remaining = this.remainingSeconds();
    return remaining !== null && remaining < LOW_TIME_SECONDS;
  });

  /** DTMF and mute apply only while the call is in progress. */
  readonly inProgress = computed(() => this.status() === 'in_progress');
  /** Mute and tones need the device's leg, which a reload loses. */
  readonly canControlAudio = computed(() => this.inProgress() && !this.state().restored);

  /** The call ended (server terminal status, or the hang-up under way): time for the note form. */
  readonly wrapUp = computed(() => {
    const status = this.status();
    return (status === 'ended' || status === 'ending') && !!this.call();
  });

  constructor() {
    const realtime = inject(RealtimeService);
    const destroyRef = inject(DestroyRef);
    destroyRef.onDestroy(realtime.on('call:created', (call) => this.receive(call)));
    destroyRef.onDestroy(realtime.on('call:updated', (call) => this.receive(call)));
    destroyRef.onDestroy(realtime.on('resync', () => this.refresh()));
    destroyRef.onDestroy(() => this.cleanUp());
  }

  /** The device that places the next calls (not while a call is live). */
  useDevice(device: VoiceDevice): void {
    if (this.busy()) return;
    this.device = device;
    this.deviceKind.set(device.kind);
  }

  /** Chooses the browser (Twilio) or the simulated device; ignored while a call is live. */
  selectDevice(kind: VoiceDeviceKind): void {
    if (this.busy() || this.deviceKind() === kind) return;
    this.useDevice(
      kind === 'twilio'
        ? this.injector.get(TwilioVoiceDevice)
        : this.injector.get(SimulatedVoiceDevice),
    );
  }

  /**
   * Finds the signed-in user's live call on the server (after a reload, or a call placed in
   * another tab) and follows it: the call bar shows again, and a second call stays blocked.
   */
  restore(): void {
    const user = this.auth.user();
    if (!user || this.state().phase !== 'idle' || this.restoring) return;
    this.restoring = true;
    this.api.liveCallOfMine(user.id).subscribe({
      next: (call) => {
        this.restoring = false;
        if (call && !call.campaignId) this.follow(call);
      },
      error: () => (this.restoring = false),
    });
  }

  /** Forgets everything (sign-out). */
  clear(): void {
    this.cleanUp();
    this.pendingQuality = [];
    this.state.set(IDLE);
  }

  /** Follows a live call this session did not place (restored from the server, or pushed). */
  private follow(call: CallView): void {
    if (this.state().phase !== 'idle' || isTerminalStatus(call.status)) return;
    this.state.set({
      ...IDLE,
      phase: 'active',
      request: { to: call.to, callerId: call.from ?? null },
      dialedAt: Date.parse(call.createdAt),
      restored: true,
    });
    this.adopt(call);
    // Whether the server can end it (an Exotel call cannot): the detail says, naming the provider.
    this.api.get(call.id).subscribe({
      next: (detail) =>
        this.state.update((s) =>
          s.call?.id === call.id && detail.canHangUp === false
            ? { ...s, hangupUnsupportedReason: detail.hangupUnsupportedReason ?? null }
            : s,
        ),
      error: () => undefined,
    });
    // The rate prices the running cost.
    this.billing.quote(call.to).subscribe({
      next: (quote) =>
        this.state.update((s) => (s.call?.id === call.id && !s.quote ? { ...s, quote } : s)),
      error: () => undefined,
    });
  }

  /** Fetches the followed call again (after a reconnect: pushes may have been missed). */
  private refresh(): void {
    const call = this.state().call;
    if (!call || this.state().phase === 'idle') {
      if (this.state().phase === 'idle') this.restore();
      return;
    }
    if (isTerminalStatus(call.status) && call.costMicros !== null) return;
    this.api.get(call.id).subscribe({
      next: (fetched) => {
        const { timeline: _timeline, ...view } = fetched;
        this.receive(view);
      },
      error: () => undefined,
    });
  }

  /** Places a call through the device; `quote` prices the running cost. */
  async dial(request: DialRequest, quote: Quote | null): Promise<void> {
    const device = this.device;
    if (!device || this.busy()) return;
    this.cleanUp();
    this.pushedWhileConnecting.clear();
    this.state.set({ ...IDLE, phase: 'connecting', request, quote, dialedAt: Date.now() });
    let voiceCall: VoiceCall;
    try {
      voiceCall = await device.connect(request);
    } catch (error) {
      this.state.update((s) => ({
        ...s,
        phase: 'ended',
        error: ApiError.message(error, 'The call could not be placed.'),
      }));
      return;
    }
    if (this.state().phase !== 'connecting' || this.state().request !== request) {
      // Hung up (or reset) while it was being placed: end the call that was placed after all.
      if (voiceCall.serverCall) {
        this.api.hangUp(voiceCall.serverCall.id).subscribe({ error: () => undefined });
      } else {
        voiceCall.hangUp();
      }
      voiceCall.dispose();
      return;
    }
    this.voiceCall = voiceCall;
    this.stopListening = voiceCall.on((event) => this.onDeviceEvent(event));
    this.state.update((s) => ({ ...s, phase: 'active' }));
    if (voiceCall.serverCall) {
      this.adopt(voiceCall.serverCall);
      const pushed = this.pushedWhileConnecting.get(voiceCall.serverCall.id);
      if (pushed) this.receive(pushed);
    } else {
      for (const pushed of this.pushedWhileConnecting.values()) this.receive(pushed);
    }
    this.pushedWhileConnecting.clear();
  }

  /**
   * Ends the call: the browser's leg through the SDK (Twilio ends the dialed leg with it), or
   * `POST /api/calls/:id/hangup` for a call placed by the server (simulator) or picked up again
   * after a reload. The status changes when the server's push says how the call ended.
   */
  hangUp(): void {
    const { phase, call, hangingUp } = this.state();
    if (phase === 'connecting') {
      this.state.update((s) => ({ ...s, phase: 'ended', error: 'Cancelled before it connected' }));
      return;
    }
    if (phase !== 'active' || hangingUp || this.state().hangupUnsupportedReason) return;
    if (this.voiceCall && this.device?.hangsUpAtProvider) {
      this.voiceCall.hangUp();
      return;
    }
    if (!call) return;
    this.state.update((s) => ({ ...s, hangingUp: true, hangupError: null, muted: false }));
    this.api.hangUp(call.id).subscribe({
      next: (view) => this.receive(view),
      error: (err: unknown) => {
        this.state.update((s) => ({
          ...s,
          hangingUp: false,
          hangupError: ApiError.message(err, 'Could not end the call.'),
        }));
        this.refresh(); // it may have ended meanwhile (409 "already ended")
      },
    });
  }

  toggleMute(): void {
    if (!this.canControlAudio() || !this.voiceCall) return;
    this.voiceCall.mute(!this.state().muted);
  }

  /** Sends DTMF digits; ignored unless the call is in progress. */
  sendDigits(digits: string): boolean {
    if (!this.canControlAudio() || !this.voiceCall || !/^[0-9*#]+$/.test(digits)) return false;
    this.voiceCall.sendDigits(digits);
    this.state.update((s) => ({ ...s, digits: s.digits + digits }));
    return true;
  }

  /** Saves the note and disposition of the call that ended. */
  saveNote(changes: CallNote): Observable<CallView> | null {
    const call = this.state().call;
    if (!call) return null;
    this.state.update((s) => ({ ...s, noteSaving: true, noteError: null, noteSaved: false }));
    return this.api.update(call.id, changes).pipe(
      tap({
        next: (saved) =>
          this.state.update((s) => ({
            ...s,
            call: s.call && s.call.id === saved.id ? { ...s.call, ...pickNote(saved) } : s.call,
            noteSaved: true,
          })),
        error: (err: unknown) =>
          this.state.update((s) => ({
            ...s,
            noteError: ApiError.message(err, 'Could not save the note.'),
          })),
      }),
      finalize(() => this.state.update((s) => ({ ...s, noteSaving: false }))),
    );
  }

  /** Back to idle, ready for the next call (not while one is live). */
  reset(): void {
    if (this.busy()) return;
    this.cleanUp();
    this.state.set(IDLE);
  }

  /** A pushed (or fetched) copy of a call. */
  private receive(call: CallView): void {
    const state = this.state();
    if (state.phase === 'connecting') {
      this.pushedWhileConnecting.set(call.id, call);
      return;
    }
    if (state.phase === 'idle' || (state.phase === 'ended' && state.call?.id !== call.id)) {
      // The user's own call placed elsewhere (another tab, the server): follow it.
      const me = this.auth.user()?.id;
      // A campaign's calls are placed on behalf of the admin who created it, with no one at the
      // browser: they are not this user's call (they would hold the call bar and block dialing).
      if (
        me &&
        call.agent?.id === me &&
        !call.campaignId &&
        !isTerminalStatus(call.status) &&
        !this.busy()
      ) {
        this.state.set(IDLE);
        this.follow(call);
      }
      return;
    }
    if (!state.call) {
      if (this.isOurs(call)) this.adopt(call);
      return;
    }
    if (call.id !== state.call.id || isOlderCall(call, state.call)) return;
    this.adopt(call);
  }

  /** A Twilio browser call is created by the server's voice webhook: recognize it. */
  private isOurs(call: CallView): boolean {
    const { request, dialedAt, phase } = this.state();
    if (!request || phase !== 'active' || this.voiceCall?.serverCall) return false;
    return (
      call.provider === 'twilio' &&
      call.to === request.to &&
      (!call.agent || call.agent.id === this.auth.user()?.id) &&
      Date.parse(call.createdAt) >= dialedAt - 60_000
    );
  }

  private adopt(call: CallView): void {
    const current = this.state().call;
    const merged = current && current.id === call.id ? { ...current, ...call } : call;
    this.state.update((s) => ({ ...s, call: merged }));
    if (!current || current.id !== merged.id) this.flushQuality(merged.id);
    if (isTerminalStatus(merged.status)) {
      this.stopTicker();
      this.releaseDevice();
      this.state.update((s) => ({
        ...s,
        phase: 'ended',
        muted: false,
        hangingUp: false,
        qualityWarnings: [],
      }));
      this.settle();
    } else if (merged.answeredAt) {
      this.startTicker();
    }
  }

  private onDeviceEvent(event: VoiceCallEvent): void {
    switch (event.type) {
      case 'muted':
        this.state.update((s) => ({ ...s, muted: event.muted }));
        return;
      case 'error':
        this.state.update((s) => ({ ...s, error: event.message }));
        return;
      case 'quality': {
        this.state.update((s) => ({
          ...s,
          qualityWarnings: event.active
            ? [...s.qualityWarnings.filter((w) => w !== event.warning), event.warning]
            : s.qualityWarnings.filter((w) => w !== event.warning),
        }));
        const report = { warning: event.warning, cleared: !event.active };
        const call = this.state().call;
        if (call) this.reportQuality(call.id, report);
        else this.pendingQuality.push(report);
        return;
      }
      case 'ended': {
        // The server reports how the call ended; without a server call there is nothing to wait for.
        this.stopTicker();
        const hasCall = !!this.state().call;
        this.state.update((s) => ({
          ...s,
          deviceEnded: true,
          muted: false,
          frozenElapsed: this.elapsedSeconds(),
          phase: hasCall ? s.phase : 'ended',
        }));
        this.releaseDevice();
        return;
      }
      default:
        // ringing / accepted: the server's status is what the dialer shows.
        return;
    }
  }

  /** Once the call is over: make sure its final cost arrives even if the push is late. */
  private settle(): void {
    const call = this.state().call;
    if (!call || this.refetchTimer || (isTerminalStatus(call.status) && call.costMicros !== null)) {
      return;
    }
    if (!isTerminalStatus(call.status)) return; // a later push brings the end
    this.refetchTimer = setTimeout(() => {
      this.refetchTimer = null;
      const current = this.state().call;
      if (!current || current.costMicros !== null) return;
      this.api.get(current.id).subscribe({
        next: (fetched) => {
          const { timeline: _timeline, ...view } = fetched;
          this.receive(view);
        },
        error: () => undefined,
      });
    }, FINAL_COST_REFETCH_MS);
  }

  /** Stores a call-quality warning with the call (its timeline); best effort. */
  private reportQuality(callId: string, report: { warning: string; cleared: boolean }): void {
    this.api.reportQuality(callId, report).subscribe({ error: () => undefined });
  }

  private flushQuality(callId: string): void {
    const pending = this.pendingQuality;
    this.pendingQuality = [];
    for (const report of pending) this.reportQuality(callId, report);
  }

  private startTicker(): void {
    if (this.ticker) return;
    this.now.set(Date.now());
    this.ticker = setInterval(() => this.now.set(Date.now()), TICK_MS);
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  private releaseDevice(): void {
    this.stopListening?.();
    this.stopListening = null;
    this.voiceCall?.dispose();
    this.voiceCall = null;
  }

  private cleanUp(): void {
    this.stopTicker();
    if (this.refetchTimer) clearTimeout(this.refetchTimer);
    this.refetchTimer = null;
    this.releaseDevice();
  }
}

function pickNote(call: CallView): Pick<CallView, 'note' | 'disposition'> {
  return { note: call.note, disposition: call.disposition };
}
