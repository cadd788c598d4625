import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  inject,
  signal,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import {
  AbstractControl,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { RouterLink } from '@angular/router';
import { finalize } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { focusFirstError } from '../forms/focus-first-error';
import { AuthService } from '../../core/auth/auth-service';
import {
  CallView,
  CallerId,
  NewCall,
  PROVIDER_LABELS,
  SIMULATOR_SCENARIOS,
  ServerPlacedProvider,
  SCENARIO_LABELS,
  SimulatorScenario,
} from '../../core/calls/call';
import { CallsApi } from '../../core/calls/calls-api';
import { VoiceApi, defaultCallerId } from '../../core/calls/voice-api';
import { PhonePipe } from '../phone/phone-pipe';
import { phoneNumberValidator } from '../phone/phone-number-validator';

export interface InitiateCallData {
  /** Number to prefill (e.g. from a contact). */
  to?: string;
}

export const MAX_TALK_SECONDS = 4 * 3600;

const PROVIDER_HINTS: Readonly<Record<ServerPlacedProvider, string>> = {
  simulator: 'Plays a realistic call with real webhooks; no phone network involved.',
  exotel: 'Exotel rings the caller id first, then connects the number.',
  bolna: 'A Bolna voice agent calls the number.',
};

function wholeNumberValidator(control: AbstractControl<number | null>): ValidationErrors | null {
  const value = control.value;
  return value === null || Number.isInteger(value) ? null : { wholeNumber: true };
}

/** Places a call through a server-side provider; closes with the created call. */
@Component({
  selector: 'sb-initiate-call-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    RouterLink,
    PhonePipe,
  ],
  templateUrl: './initiate-call-dialog.html',
  styleUrl: './initiate-call-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InitiateCallDialog {
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly api = inject(CallsApi);
  private readonly dialogRef = inject<MatDialogRef<InitiateCallDialog, CallView>>(MatDialogRef);
  private readonly data = inject<InitiateCallData | null>(MAT_DIALOG_DATA, { optional: true });

  protected readonly providerLabels = PROVIDER_LABELS;
  protected readonly providerHints = PROVIDER_HINTS;
  protected readonly scenarios = SIMULATOR_SCENARIOS;
  protected readonly scenarioLabels = SCENARIO_LABELS;
  protected readonly maxTalkSeconds = MAX_TALK_SECONDS;

  protected readonly form = inject(NonNullableFormBuilder).group({
    provider: ['simulator' as ServerPlacedProvider],
    to: [this.data?.to ?? '', [Validators.required, phoneNumberValidator]],
    /** Exotel only: the agent's phone, rung first. */
    from: ['', phoneNumberValidator],
    /** Other providers: one of the organization's caller IDs (null: the provider's default). */
    callerId: [null as string | null],
    scenario: ['random' as SimulatorScenario],
    talkSeconds: [
      null as number | null,
      [Validators.min(0), Validators.max(MAX_TALK_SECONDS), wholeNumberValidator],
    ],
    chaos: [false],
  });

  protected readonly providers = signal<readonly ServerPlacedProvider[]>(['simulator']);
  protected readonly loadingConfig = signal(true);
  protected readonly configError = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The server refused the call for want of money (402): offer the way to the wallet. */
  protected readonly insufficientBalance = signal(false);

  private readonly provider = toSignal(this.form.controls.provider.valueChanges, {
    initialValue: this.form.controls.provider.value,
  });
  protected readonly isSimulator = computed(() => this.provider() === 'simulator');
  /** Top-ups are for owners and admins: agents are not sent to the wallet. */
  protected readonly isAdmin = inject(AuthService).isAdmin;
  protected readonly isExotel = computed(() => this.provider() === 'exotel');
  /** The organization's caller IDs: the dialer's list, with the dialer's default. */
  protected readonly callerIds = signal<readonly CallerId[]>([]);

  constructor() {
    this.form.controls.provider.disable();
    const voiceApi = inject(VoiceApi);
    voiceApi.callerIds().subscribe({
      next: (ids) => {
        this.callerIds.set(ids);
        if (this.form.controls.callerId.pristine) {
          this.form.controls.callerId.setValue(defaultCallerId(ids));
        }
      },
      error: () => this.callerIds.set([]),
    });
    voiceApi
      .config()
      .pipe(
        finalize(() => {
          this.loadingConfig.set(false);
          this.form.controls.provider.enable();
        }),
      )
      .subscribe({
        next: (config) => {
          // Twilio calls start in the browser (the dialer), never from the server.
          const usable = config.providers.filter(
            (p): p is ServerPlacedProvider => p !== 'twilio' && p in PROVIDER_HINTS,
          );
          const providers: readonly ServerPlacedProvider[] = usable.length ? usable : ['simulator'];
          this.providers.set(providers);
          const current = this.form.controls.provider.value;
          if (!providers.includes(current)) this.form.controls.provider.setValue(providers[0]);
        },
        error: (err: unknown) =>
          this.configError.set(
            ApiError.message(err, 'Could not load the providers.') +
              ' Only the simulator is offered.',
          ),
      });
  }

  protected submit(): void {
    if (this.saving()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      focusFirstError(this.host.nativeElement);
      return;
    }
    const value = this.form.getRawValue();
    const call: NewCall = { provider: value.provider, to: value.to.trim() };
    const from = value.provider === 'exotel' ? value.from.trim() : value.callerId;
    if (from) call.from = from;
    if (value.provider === 'simulator') {
      call.scenario = value.scenario;
      if (value.talkSeconds !== null) call.talkSeconds = value.talkSeconds;
      if (value.chaos) call.chaos = true;
    }

    this.error.set(null);
    this.insufficientBalance.set(false);
    this.saving.set(true);
    this.dialogRef.disableClose = true;
    this.api
      .initiate(call)
      .pipe(
        finalize(() => {
          this.saving.set(false);
          this.dialogRef.disableClose = false;
        }),
      )
      .subscribe({
        next: (created) => this.dialogRef.close(created),
        error: (err: unknown) => {
          const message = ApiError.message(err, 'The call could not be placed. Please try again.');
          this.error.set(message);
          // 402: "Insufficient balance: …" or "No rate for …"; only the first is fixed by a top-up.
          this.insufficientBalance.set(
            ApiError.status(err) === 402 && /^insufficient balance/i.test(message),
          );
          // The server names the field it refuses ("to must be a valid phone number…").
          for (const field of ['to', 'from'] as const) {
            if (new RegExp(`^${field}\\b`).test(message)) {
              const control =
                field === 'from' && value.provider !== 'exotel'
                  ? this.form.controls.callerId
                  : this.form.controls[field];
              control.setErrors({ server: true });
              control.markAsTouched();
            }
          }
        },
      });
  }
}
