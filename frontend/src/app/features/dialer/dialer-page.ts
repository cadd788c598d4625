import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import {
  FormControl,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  Validators,
} from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, RouterLink } from '@angular/router';
import {
  Observable,
  catchError,
  combineLatest,
  debounceTime,
  distinctUntilChanged,
  forkJoin,
  map,
  of,
  startWith,
  switchMap,
} from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { AuthService } from '../../core/auth/auth-service';
import { Quote } from '../../core/billing/billing';
import { BillingApi } from '../../core/billing/billing-api';
import {
  CALL_DISPOSITIONS,
  CALL_DISPOSITION_LABELS,
  CALL_NOTE_MAX_LENGTH,
  CallDisposition,
  CallView,
  CallerId,
  SCENARIO_LABELS,
  SIMULATOR_SCENARIOS,
  SimulatorScenario,
  isTerminalStatus,
} from '../../core/calls/call';
import { CallsApi } from '../../core/calls/calls-api';
import { VoiceApi, defaultCallerId } from '../../core/calls/voice-api';
import { Contact } from '../../core/contacts/contact';
import { ContactsApi } from '../../core/contacts/contacts-api';
import { RealtimeService } from '../../core/realtime/realtime-service';
import { WalletStore } from '../../core/wallet/wallet-store';
import { DurationPipe } from '../../shared/duration/duration-pipe';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { IntlNumberPipe } from '../../shared/format/intl-format';
import { PhonePipe } from '../../shared/phone/phone-pipe';
import { flagEmoji } from '../../shared/phone/phone';
import { RelativeTimePipe } from '../../shared/relative-time/relative-time-pipe';
import { incrementLabel } from '../../core/voice/call-cost';
import { DEFAULT_SIMULATOR_OPTIONS } from '../../core/voice/simulated-voice-device';
import { AudioDeviceChoices, TwilioVoiceDevice } from '../../core/voice/twilio-voice-device';
import { VOICE_DEVICE_LABELS, VoiceDeviceKind } from '../../core/voice/voice-device';
import { VoiceSession } from '../../core/voice/voice-session';
import { DialerKeypad } from './dialer-keypad';
import { DialerRecentCalls } from './dialer-recent-calls';

/** The number is quoted this long after the last keystroke. */
export const QUOTE_DEBOUNCE_MS = 300;
export const TALK_TIME_CHOICES = [15, 45, 90, 180] as const;

interface QuoteState {
  /** The text the quote is for. */
  text: string;
  loading: boolean;
  quote: Quote | null;
  /** The number is not valid (400), or the quote could not be loaded. */
  error: string | null;
  contact: Contact | null;
}

const NO_QUOTE: QuoteState = { text: '', loading: false, quote: null, error: null, contact: null };

/** Digits of a typed number (with a leading + kept): what decides whether it is worth quoting. */
function compact(text: string): string {
  return text.replace(/[^\d+*#]/g, '');
}

/**
 * The dialer: a number (normalized and priced by the quote endpoint as you type), a keypad,
 * caller ID, contact search and recent calls; then the call itself, driven by `DialerSession`
 * through the Twilio device or the simulated one, and a note form when it ends.
 */
@Component({
  selector: 'sb-dialer-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatAutocompleteModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTooltipModule,
    DialerKeypad,
    DialerRecentCalls,
    DurationPipe,
    MoneyPipe,
    PhonePipe,
    RelativeTimePipe,
    IntlNumberPipe,
  ],
  templateUrl: './dialer-page.html',
  styleUrl: './dialer-page.scss',
  host: { '(document:keydown)': 'onKeydown($event)' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DialerPage {
  /** The app's voice session: the call outlives this page (the call bar shows it elsewhere). */
  protected readonly session = inject(VoiceSession);
  private readonly injector = inject(Injector);
  private readonly billing = inject(BillingApi);
  private readonly contactsApi = inject(ContactsApi);
  private readonly callsApi = inject(CallsApi);
  private readonly voiceApi = inject(VoiceApi);
  private readonly auth = inject(AuthService);
  /** Top-ups are for owners and admins: agents are told whom to ask instead of given a link. */
  protected readonly isAdmin = this.auth.isAdmin;
  protected readonly wallet = inject(WalletStore);

  private readonly numberInput = viewChild<ElementRef<HTMLInputElement>>('numberInput');
  private readonly noteInput = viewChild<ElementRef<HTMLTextAreaElement>>('noteInput');

  protected readonly flagEmoji = flagEmoji;
  protected readonly incrementLabel = incrementLabel;
  protected readonly scenarios = SIMULATOR_SCENARIOS;
  protected readonly scenarioLabels = SCENARIO_LABELS;
  protected readonly talkTimes = TALK_TIME_CHOICES;
  protected readonly dispositions = CALL_DISPOSITIONS;
  protected readonly dispositionLabels = CALL_DISPOSITION_LABELS;
  protected readonly deviceLabels = VOICE_DEVICE_LABELS;
  protected readonly deviceKinds: readonly VoiceDeviceKind[] = ['twilio', 'simulator'];

  protected readonly number = new FormControl('', { nonNullable: true });
  protected readonly callerId = new FormControl<string | null>(null);
  protected readonly contactSearch = new FormControl<string | Contact>('', { nonNullable: true });
  protected readonly wrapUpForm = inject(NonNullableFormBuilder).group({
    disposition: ['' as CallDisposition | ''],
    note: ['', Validators.maxLength(CALL_NOTE_MAX_LENGTH)],
  });
  protected readonly noteMaxLength = CALL_NOTE_MAX_LENGTH;

  protected readonly callerIds = signal<readonly CallerId[]>([]);
  protected readonly twilioEnabled = signal(false);
  protected readonly deviceKind = this.session.deviceKind;
  protected readonly audioOpen = signal(false);
  protected readonly audio = signal<AudioDeviceChoices | null>(null);
  protected readonly audioError = signal<string | null>(null);
  protected readonly configError = signal<string | null>(null);
  protected readonly scenario = signal<SimulatorScenario>(DEFAULT_SIMULATOR_OPTIONS.scenario);
  protected readonly talkSeconds = signal<number>(DEFAULT_SIMULATOR_OPTIONS.talkSeconds);
  protected readonly recentCalls = signal<readonly CallView[]>([]);
  protected readonly recentLoading = signal(true);
  protected readonly recentError = signal<string | null>(null);

  private readonly numberText = toSignal(this.number.valueChanges, { initialValue: '' });
  /** Bumped to quote the same number again (after a call: the balance changed). */
  private readonly requote = signal(0);
  protected readonly quoteState = signal<QuoteState>(NO_QUOTE);
  protected readonly quote = computed(() => this.quoteState().quote);
  protected readonly contact = computed(() => this.quoteState().contact);

  protected readonly contactResults = toSignal(
    this.contactSearch.valueChanges.pipe(
      map((value) => (typeof value === 'string' ? value.trim() : '')),
      debounceTime(250),
      distinctUntilChanged(),
      switchMap((q) =>
        q
          ? this.contactsApi.list({ q }, { limit: 8 }).pipe(
              map((page) => page.items),
              catchError(() => of([] as Contact[])),
            )
          : of([] as Contact[]),
      ),
    ),
    { initialValue: [] as Contact[] },
  );

  /** Why the call button is disabled, when it is (shown under the number). */
  protected readonly blockReason = computed<string | null>(() => {
    const raw = this.numberText();
    if (/\p{L}/u.test(raw)) {
      return 'Letters cannot be dialed: type the number in digits, with + and the country code (+14155550100).';
    }
    const text = compact(raw);
    const state = this.quoteState();
    if (!text) return null;
    if (text.replace(/\D/g, '').length < 6) return 'Keep typing: the number is too short.';
    if (state.loading || state.text !== this.numberText()) return null;
    if (state.error) return state.error;
    return state.quote?.refusal ?? null;
  });

  protected readonly canDial = computed(() => {
    const state = this.quoteState();
    return (
      !!state.quote &&
      !state.quote.refusal &&
      !/\p{L}/u.test(this.numberText()) &&
      !state.loading &&
      state.text === this.numberText() &&
      this.deviceKind() !== null &&
      !this.session.busy()
    );
  });

  /** How the call in the panel is billed ("at 6/6"). */
  protected readonly quoteIncrement = computed(() => {
    const rate = this.session.quote()?.rate;
    return rate ? `at ${incrementLabel(rate)}` : '';
  });

  constructor() {
    this.wallet.ensureLoaded();
    this.loadConfig();
    this.loadRecentCalls();

    inject(ActivatedRoute)
      .queryParamMap.pipe(takeUntilDestroyed())
      .subscribe((params) => {
        const to = params.get('to');
        if (to && !this.session.busy()) this.number.setValue(to);
      });

    // Quote (and look up) the number as it is typed, debounced.
    combineLatest([toObservable(this.numberText), toObservable(this.requote)])
      .pipe(
        map(([text]) => text),
        switchMap((text) => {
          const digits = compact(text).replace(/\D/g, '');
          if (digits.length < 6) return of({ ...NO_QUOTE, text });
          this.quoteState.update((s) => ({ ...s, loading: true }));
          return of(text).pipe(
            debounceTime(QUOTE_DEBOUNCE_MS),
            switchMap(() => this.quoteAndLookup(text)),
            startWith(null),
          );
        }),
        takeUntilDestroyed(),
      )
      .subscribe((state) => {
        if (state) this.quoteState.set(state);
      });

    const realtime = inject(RealtimeService);
    const onCall = (call: CallView) => this.upsertRecent(call);
    const destroyRef = inject(DestroyRef);
    destroyRef.onDestroy(realtime.on('call:created', onCall));
    destroyRef.onDestroy(realtime.on('call:updated', onCall));

    // After a call the balance changed: price the number again.
    toObservable(this.session.phase)
      .pipe(takeUntilDestroyed())
      .subscribe((phase) => {
        if (phase === 'ended') this.requote.update((n) => n + 1);
      });
  }

  /** Places the call to the quoted (E.164) number. */
  protected dial(): void {
    const quote = this.quote();
    if (!this.canDial() || !quote) return;
    this.wrapUpForm.reset();
    void this.session.dial(
      {
        to: quote.to,
        callerId: this.callerId.value,
        simulator: { scenario: this.scenario(), talkSeconds: this.talkSeconds() },
      },
      quote,
    );
  }

  /** Calls a number again from the recent calls. */
  protected redial(call: CallView): void {
    if (this.session.busy()) return;
    this.session.reset();
    this.number.setValue(call.to);
    // Dial as soon as the number is quoted.
    const stop = toObservable(this.canDial, { injector: this.injector }).subscribe((ready) => {
      if (!ready) return;
      queueMicrotask(() => stop.unsubscribe());
      this.dial();
    });
    setTimeout(() => stop.unsubscribe(), 10_000);
  }

  protected press(key: string): void {
    if (this.session.canControlAudio()) {
      if (key !== '+') this.session.sendDigits(key);
      return;
    }
    if (this.session.phase() !== 'idle') return;
    this.number.setValue(this.number.value + key);
  }

  protected backspace(): void {
    if (this.session.phase() !== 'idle') return;
    this.number.setValue(this.number.value.slice(0, -1));
  }

  protected clearNumber(): void {
    this.number.setValue('');
    this.numberInput()?.nativeElement.focus();
  }

  protected newCall(): void {
    this.session.reset();
    this.wrapUpForm.reset();
    queueMicrotask(() => this.numberInput()?.nativeElement.focus());
  }

  protected pickContact(contact: Contact): void {
    this.number.setValue(contact.phone);
    this.contactSearch.setValue('', { emitEvent: false });
  }

  protected contactLabel(contact: Contact | string | null): string {
    return typeof contact === 'string' ? contact : (contact?.name ?? '');
  }

  protected useDevice(kind: VoiceDeviceKind): void {
    this.session.selectDevice(kind);
    if (kind !== 'twilio') this.audioOpen.set(false);
  }

  /** Shows (and loads) the microphone and speaker choices of the browser device. */
  protected toggleAudio(): void {
    const open = !this.audioOpen();
    this.audioOpen.set(open);
    if (!open) return;
    this.audioError.set(null);
    this.injector
      .get(TwilioVoiceDevice)
      .audioDevices()
      .then(
        (choices) => this.audio.set(choices),
        (error: unknown) => this.audioError.set(ApiError.message(error, 'No audio devices found.')),
      );
  }

  protected setMicrophone(id: string): void {
    this.injector
      .get(TwilioVoiceDevice)
      .setMicrophone(id)
      .then(
        () => this.audio.update((a) => (a ? { ...a, inputId: id } : a)),
        (error: unknown) =>
          this.audioError.set(ApiError.message(error, 'Could not use that microphone.')),
      );
  }

  protected setSpeaker(id: string): void {
    this.injector
      .get(TwilioVoiceDevice)
      .setSpeaker(id)
      .catch((error: unknown) =>
        this.audioError.set(ApiError.message(error, 'Could not use that speaker.')),
      );
  }

  protected saveWrapUp(): void {
    if (this.wrapUpForm.invalid) {
      this.wrapUpForm.markAllAsTouched();
      this.noteInput()?.nativeElement.focus();
      return;
    }
    const { disposition, note } = this.wrapUpForm.getRawValue();
    this.session
      .saveNote({ disposition: disposition || null, note: note.trim() || null })
      ?.subscribe({ error: () => undefined });
  }

  /** Keyboard: digits type (DTMF while in progress), Backspace deletes, Enter dials, Escape hangs up. */
  protected onKeydown(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.target instanceof HTMLElement ? event.target : null;
    const inNumber = !!target && target === this.numberInput()?.nativeElement;
    const inOtherField =
      !inNumber &&
      !!target?.closest(
        'input, textarea, select, [contenteditable], [role="listbox"], .cdk-overlay-pane',
      );
    if (event.key === 'Escape') {
      if (this.session.busy() && !inOtherField) {
        event.preventDefault();
        this.session.hangUp();
      }
      return;
    }
    if (inOtherField) return;
    if (this.session.inProgress()) {
      if (/^[0-9*#]$/.test(event.key)) {
        event.preventDefault();
        this.session.sendDigits(event.key);
      }
      return;
    }
    if (this.session.phase() !== 'idle') return;
    if (event.key === 'Enter') {
      event.preventDefault();
      this.dial();
      return;
    }
    if (inNumber) return; // the field types and deletes by itself
    if (/^[0-9*#+]$/.test(event.key)) {
      event.preventDefault();
      this.press(event.key);
    } else if (event.key === 'Backspace') {
      event.preventDefault();
      this.backspace();
    }
  }

  private quoteAndLookup(text: string): Observable<QuoteState> {
    return forkJoin({
      quote: this.billing.quote(text).pipe(
        map((quote) => ({ quote, error: null as string | null })),
        catchError((err: unknown) =>
          of({
            quote: null,
            error:
              ApiError.status(err) === 400
                ? 'Not a valid phone number: use the international format (+14155550100) or a number of your own country.'
                : ApiError.message(err, 'Could not check the rate for this number.'),
          }),
        ),
      ),
      lookup: this.contactsApi.lookup(text).pipe(catchError(() => of(null))),
    }).pipe(
      map(({ quote, lookup }) => ({
        text,
        loading: false,
        quote: quote.quote,
        error: quote.error,
        contact: lookup?.contact ?? null,
      })),
    );
  }

  private loadConfig(): void {
    this.voiceApi.config().subscribe({
      next: (config) => {
        this.twilioEnabled.set(config.twilio.enabled);
        // The session keeps the device chosen earlier (and the one of a live call).
        const kind = this.session.deviceKind();
        if (kind === null || (kind === 'twilio' && !config.twilio.enabled)) {
          this.useDevice(config.twilio.enabled ? 'twilio' : 'simulator');
        }
      },
      error: (err: unknown) => {
        this.configError.set(
          `${ApiError.message(err, 'Could not load the voice settings.')} Calls use the simulator.`,
        );
        if (this.session.deviceKind() === null) this.useDevice('simulator');
      },
    });
    this.voiceApi.callerIds().subscribe({
      next: (ids) => {
        this.callerIds.set(ids);
        if (ids.length && this.callerId.value === null)
          this.callerId.setValue(defaultCallerId(ids));
      },
      error: () => this.callerIds.set([]),
    });
  }

  private loadRecentCalls(): void {
    const agentId = this.auth.user()?.id;
    this.recentLoading.set(true);
    this.callsApi.list(agentId ? { agentId } : {}, { limit: 10 }).subscribe({
      next: (page) => {
        this.recentCalls.set(page.items);
        this.recentLoading.set(false);
      },
      error: (err: unknown) => {
        this.recentError.set(ApiError.message(err, 'Could not load your recent calls.'));
        this.recentLoading.set(false);
      },
    });
  }

  private upsertRecent(call: CallView): void {
    const me = this.auth.user()?.id;
    if (call.agent && me && call.agent.id !== me) return;
    this.recentCalls.update((calls) => {
      const index = calls.findIndex((c) => c.id === call.id);
      if (index === -1) return [call, ...calls].slice(0, 10);
      const current = calls[index];
      if (isTerminalStatus(current.status) && !isTerminalStatus(call.status)) return calls;
      return calls.map((c, i) => (i === index ? { ...c, ...call } : c));
    });
  }
}
