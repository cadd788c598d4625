import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router } from '@angular/router';

import { ApiError } from '../../core/api/api-error';
import { AuthService } from '../../core/auth/auth-service';
import {
  CALL_DIRECTION_LABELS,
  CALL_DISPOSITIONS,
  CALL_DISPOSITION_LABELS,
  CALL_NOTE_MAX_LENGTH,
  CallDetail,
  CallDisposition,
  CallEventView,
  PROVIDER_LABELS,
  isTerminalStatus,
} from '../../core/calls/call';
import { CallStatusChip } from '../../shared/call-status-chip/call-status-chip';
import { DurationPipe, formatDuration } from '../../shared/duration/duration-pipe';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { formatMoney, parseMicros } from '../../shared/money/money';
import { CallsApi } from '../../core/calls/calls-api';
import { CallHistoryStore } from './call-history-store';
import { OutcomeDescription, describeOutcome } from './call-event-outcome';
import { IntlDatePipe, IntlNumberPipe } from '../../shared/format/intl-format';
import { VoiceSession } from '../../core/voice/voice-session';

interface FactView {
  key: string;
  label: string;
  value: string;
  href: string | null;
}

interface TimelineEntry {
  event: CallEventView;
  outcome: OutcomeDescription;
  facts: FactView[];
}

const FACT_LABELS: Readonly<Record<string, string>> = {
  durationSeconds: 'Duration',
  recording: 'Recording',
  stored: 'Stored',
  providerCostMicros: 'Provider cost',
  providerCurrency: 'Currency',
  hangupReason: 'Hang-up reason',
  answeredAt: 'Answered',
  endedAt: 'Ended',
  requestedByRole: 'Requested by',
  error: 'Provider answer',
  warning: 'Warning',
};

/** Facts kept for the record but not worth a line in the timeline. */
const HIDDEN_FACTS: ReadonlySet<string> = new Set(['requestedBy']);

/**
 * The call open in the history (a side sheet): its facts and the timeline of provider events,
 * each with what it did to the call. Reads and refreshes through the page's CallHistoryStore.
 */
@Component({
  selector: 'sb-call-detail-panel',
  imports: [
    IntlDatePipe,
    IntlNumberPipe,
    ReactiveFormsModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatDialogModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatTooltipModule,
    CallStatusChip,
    DurationPipe,
    MoneyPipe,
  ],
  templateUrl: './call-detail-panel.html',
  styleUrl: './call-detail-panel.scss',
  host: { 'data-testid': 'call-detail-panel', '[attr.data-open]': 'open()' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CallDetailPanel {
  protected readonly store = inject(CallHistoryStore);
  /** The sheet has finished sliding in (end-to-end tests wait for it before screenshots). */
  protected readonly open = signal(false);
  protected readonly isAdmin = inject(AuthService).isAdmin;

  protected readonly providerLabels = PROVIDER_LABELS;
  protected readonly dispositionLabels = CALL_DISPOSITION_LABELS;
  protected readonly directionLabels = CALL_DIRECTION_LABELS;

  /** The full call once loaded; its row from the list meanwhile. */
  protected readonly call = computed(() => this.store.detail() ?? this.store.selectedSummary());
  protected readonly live = computed(() => {
    const call = this.call();
    return !!call && !isTerminalStatus(call.status);
  });
  private readonly callsApi = inject(CallsApi);
  protected readonly hangingUp = signal(false);
  protected readonly hangupError = signal<string | null>(null);
  /** Why the open live call cannot be hung up from here (null: it can). */
  protected readonly hangupBlocked = computed<string | null>(() => {
    const detail = this.store.detail() as CallDetail | null;
    if (!this.live() || !detail) return null;
    return detail.canHangUp === false
      ? (detail.hangupUnsupportedReason ?? 'This call cannot be ended from Switchboard')
      : null;
  });
  protected readonly timeline = computed<TimelineEntry[] | null>(() => {
    const detail = this.store.detail();
    if (!detail) return null;
    return detail.timeline.map((event) => ({
      event,
      outcome: describeOutcome(event.outcome, event.applied),
      facts: factsOf(event),
    }));
  });
  /** Playback position of the recording, to follow the transcript. */
  protected readonly playbackSeconds = signal(0);
  protected readonly finalizing = computed(() => {
    const detail = this.store.detail();
    return !!detail && isTerminalStatus(detail.status) && detail.final === false;
  });
  /** The turn being spoken at the playback position (turns with times only). */
  protected readonly currentTurn = computed(() => {
    const turns = this.store.detail()?.transcript ?? [];
    const at = this.playbackSeconds();
    let current = -1;
    turns.forEach((turn, index) => {
      if (turn.startSeconds !== undefined && turn.startSeconds <= at) current = index;
    });
    return at > 0 ? current : -1;
  });
  protected readonly extractedRows = computed(() =>
    Object.entries(this.store.detail()?.extractedData ?? {}).map(([key, value]) => ({
      key: humanizeKey(key),
      value: typeof value === 'string' ? value : JSON.stringify(value),
    })),
  );
  protected readonly speeds = [1, 1.5, 2];
  protected readonly speed = signal(1);
  /** A turn's start as players show it (whole seconds, rounded down). */
  protected readonly turnTime = (seconds: number) => formatDuration(Math.floor(seconds));

  protected setSpeed(player: HTMLAudioElement, speed: number): void {
    player.playbackRate = speed;
    this.speed.set(speed);
  }

  private readonly player = viewChild<ElementRef<HTMLAudioElement>>('player');

  /** Plays the recording from a transcript turn's time. */
  protected seek(seconds: number | undefined): void {
    const player = this.player()?.nativeElement;
    if (!player || seconds === undefined) return;
    player.currentTime = seconds;
    void player.play().catch(() => undefined);
  }

  protected readonly appliedCount = computed(
    () => this.timeline()?.filter((entry) => entry.event.applied).length ?? 0,
  );

  /** Asks the provider to end the open call; its status follows by push. */
  protected hangUp(): void {
    const call = this.call();
    if (!call || !this.live() || this.hangingUp()) return;
    this.hangingUp.set(true);
    this.hangupError.set(null);
    this.callsApi.hangUp(call.id).subscribe({
      next: (view) => {
        this.hangingUp.set(false);
        this.store.upsert(view);
      },
      error: (err: unknown) => {
        this.hangingUp.set(false);
        this.hangupError.set(ApiError.message(err, 'Could not end the call.'));
        this.store.refreshDetail();
      },
    });
  }

  private readonly dialogRef = inject(MatDialogRef, { optional: true });
  private readonly router = inject(Router);
  private readonly session = inject(VoiceSession);

  /** The other party's number, to call back (the callee of an outbound call, the caller of an inbound one). */
  protected readonly callBackNumber = computed(() => {
    const call = this.call();
    if (!call) return null;
    return (call.direction === 'inbound' ? call.from : call.to) || null;
  });
  /** Why "Call back" is refused right now (null: it is not). */
  protected readonly callBackBlocked = computed(() =>
    this.session.busy() ? 'End the live call before calling back' : null,
  );

  /** Opens the dialer with the number, unless a call is live (one call at a time). */
  protected callBack(): void {
    const number = this.callBackNumber();
    if (!number || this.callBackBlocked()) return;
    this.dialogRef?.close();
    void this.router.navigate(['/dialer'], { queryParams: { to: number } });
  }

  protected readonly dispositions = CALL_DISPOSITIONS;
  protected readonly noteMaxLength = CALL_NOTE_MAX_LENGTH;
  protected readonly editingNote = signal(false);
  protected readonly noteSaving = signal(false);
  protected readonly noteError = signal<string | null>(null);
  protected readonly noteForm = inject(NonNullableFormBuilder).group({
    disposition: ['' as CallDisposition | ''],
    note: ['', Validators.maxLength(CALL_NOTE_MAX_LENGTH)],
  });
  private readonly noteInput = viewChild<ElementRef<HTMLTextAreaElement>>('noteInput');

  /** Opens the note form with what the call has. */
  protected editNote(): void {
    const call = this.call();
    if (!call) return;
    this.noteForm.reset({ disposition: call.disposition ?? '', note: call.note ?? '' });
    this.noteError.set(null);
    this.editingNote.set(true);
    setTimeout(() => this.noteInput()?.nativeElement.focus());
  }

  /** Saves the note and disposition (`PATCH /api/calls/:id`); the row and panel follow. */
  protected saveNote(): void {
    const call = this.call();
    if (!call || this.noteSaving()) return;
    if (this.noteForm.invalid) {
      this.noteForm.markAllAsTouched();
      this.noteInput()?.nativeElement.focus();
      return;
    }
    const { disposition, note } = this.noteForm.getRawValue();
    this.noteSaving.set(true);
    this.noteError.set(null);
    this.callsApi
      .update(call.id, { disposition: disposition || null, note: note.trim() || null })
      .subscribe({
        next: (saved) => {
          this.noteSaving.set(false);
          this.editingNote.set(false);
          this.store.upsert(saved);
          this.store.refreshDetail();
        },
        error: (err: unknown) => {
          this.noteSaving.set(false);
          this.noteError.set(ApiError.message(err, 'Could not save the note.'));
        },
      });
  }

  constructor() {
    this.dialogRef?.afterOpened().subscribe(() => this.open.set(true));
  }
}

function factsOf(event: CallEventView): FactView[] {
  const currency =
    typeof event.facts['providerCurrency'] === 'string'
      ? event.facts['providerCurrency']
      : undefined;
  return Object.entries(event.facts)
    .filter(
      ([key, value]) =>
        value !== null &&
        value !== '' &&
        !HIDDEN_FACTS.has(key) &&
        !(key === 'providerCurrency' && 'providerCostMicros' in event.facts),
    )
    .map(([key, value]) => {
      const text = String(value);
      let display = text;
      if (key === 'durationSeconds' && typeof value === 'number') display = formatDuration(value);
      else if (key.endsWith('Micros') && parseMicros(text) !== null)
        display = formatMoney(text, 'exact', { currency });
      const href = key.endsWith('Url') && /^https?:\/\//i.test(text) ? text : null;
      return { key, label: FACT_LABELS[key] ?? humanizeKey(key), value: display, href };
    });
}

/** `ringTimeSeconds` → `Ring time seconds`. */
function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words[0].toUpperCase() + words.slice(1);
}
