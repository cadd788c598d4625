import { BreakpointObserver } from '@angular/cdk/layout';
import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import {
  AbstractControl,
  FormArray,
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  ValidationErrors,
  ValidatorFn,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatChipsModule } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { MatStepperModule } from '@angular/material/stepper';
import { Router, RouterLink } from '@angular/router';
import {
  Observable,
  catchError,
  combineLatest,
  debounceTime,
  distinctUntilChanged,
  map,
  of,
  startWith,
  switchMap,
} from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { CallerId } from '../../core/calls/call';
import { VoiceApi } from '../../core/calls/voice-api';
import { Contact } from '../../core/contacts/contact';
import { ContactsApi } from '../../core/contacts/contacts-api';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { PhonePipe } from '../../shared/phone/phone-pipe';
import {
  CAMPAIGN_PROVIDERS,
  CampaignFormValue,
  CampaignProvider,
  RETRYABLE_OUTCOMES,
  WEEK_DAYS,
  audienceOf,
  delayText,
  isTimeZone,
  scheduleOf,
  toNewCampaign,
} from './campaign-format';
import { AudiencePreview, CampaignsApi } from './campaigns-api';

const PREVIEW_DEBOUNCE_MS = 400;

const PROVIDER_TEXT: Readonly<Record<CampaignProvider, { label: string; hint: string }>> = {
  simulator: {
    label: 'Simulator',
    hint: 'No real calls: outcomes follow the simulator test numbers (+1 NPA 555 01NN).',
  },
  exotel: { label: 'Exotel', hint: 'Calls through your Exotel account.' },
  bolna: {
    label: 'Bolna AI agent',
    hint: "A Bolna agent talks to each contact; the contact's name, phone, email and company are its variables.",
  },
};

type WindowGroup = FormGroup<{
  days: FormControl<number[]>;
  start: FormControl<string>;
  end: FormControl<string>;
}>;

/** `end` after `start` (HH:MM strings compare as times). */
const windowOrder: ValidatorFn = (group: AbstractControl): ValidationErrors | null => {
  const { start, end } = (group as WindowGroup).getRawValue();
  return start && end && end <= start ? { order: true } : null;
};

/** Tag in tag mode, at least one contact otherwise. */
const audienceChosen: ValidatorFn = (group: AbstractControl): ValidationErrors | null => {
  const value = group.value as { mode: string; tag: string; contactIds: string[] };
  if (value.mode === 'tag') return value.tag?.trim() ? null : { tagRequired: true };
  return value.contactIds?.length ? null : { contactsRequired: true };
};

const bolnaAgent: ValidatorFn = (group: AbstractControl): ValidationErrors | null => {
  const value = group.value as { provider: string; bolnaAgentId: string };
  return value.provider === 'bolna' && !value.bolnaAgentId?.trim() ? { agentRequired: true } : null;
};

const scheduleValid: ValidatorFn = (group: AbstractControl): ValidationErrors | null => {
  const value = group.value as {
    startMode: string;
    startAt: string;
    zoneMode: string;
    timeZone: string;
  };
  const errors: ValidationErrors = {};
  if (value.startMode === 'at') {
    if (!value.startAt) errors['startRequired'] = true;
    else if (new Date(value.startAt).getTime() < Date.now() - 60_000) errors['startPast'] = true;
  }
  if (value.zoneMode === 'fixed' && !isTimeZone(value.timeZone ?? '')) errors['zone'] = true;
  return Object.keys(errors).length ? errors : null;
};

/** Campaigns → New campaign: a form in steps, with a live audience preview and a cost estimate. */
@Component({
  selector: 'sb-campaign-create',
  imports: [
    NgTemplateOutlet,
    ReactiveFormsModule,
    RouterLink,
    MoneyPipe,
    PhonePipe,
    MatButtonModule,
    MatButtonToggleModule,
    MatCheckboxModule,
    MatChipsModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatRadioModule,
    MatSelectModule,
    MatStepperModule,
  ],
  templateUrl: './campaign-create.html',
  styleUrl: './campaign-create.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CampaignCreate {
  private readonly api = inject(CampaignsApi);
  private readonly contactsApi = inject(ContactsApi);
  private readonly voiceApi = inject(VoiceApi);
  private readonly router = inject(Router);

  protected readonly providers = CAMPAIGN_PROVIDERS;
  protected readonly providerText = PROVIDER_TEXT;
  protected readonly retryOutcomes = RETRYABLE_OUTCOMES;
  protected readonly weekDays = WEEK_DAYS;
  protected readonly delayText = delayText;
  protected readonly browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  protected readonly vertical = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 719px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );

  readonly audience = new FormGroup(
    {
      name: new FormControl('', {
        nonNullable: true,
        validators: [Validators.required, Validators.maxLength(200)],
      }),
      mode: new FormControl<'tag' | 'contacts'>('tag', { nonNullable: true }),
      tag: new FormControl('', { nonNullable: true, validators: [Validators.maxLength(100)] }),
      contactIds: new FormControl<string[]>([], { nonNullable: true }),
    },
    { validators: audienceChosen },
  );

  readonly provider = new FormGroup(
    {
      provider: new FormControl<CampaignProvider>('simulator', { nonNullable: true }),
      bolnaAgentId: new FormControl('', {
        nonNullable: true,
        validators: [Validators.maxLength(100)],
      }),
      callerId: new FormControl('', { nonNullable: true }),
    },
    { validators: bolnaAgent },
  );

  readonly schedule = new FormGroup(
    {
      startMode: new FormControl<'now' | 'at'>('now', { nonNullable: true }),
      startAt: new FormControl('', { nonNullable: true }),
      zoneMode: new FormControl<'callee' | 'fixed'>('callee', { nonNullable: true }),
      timeZone: new FormControl('', { nonNullable: true }),
      windows: new FormArray<WindowGroup>([]),
    },
    { validators: scheduleValid },
  );

  readonly pacing = new FormGroup({
    maxConcurrent: new FormControl<number>(5, {
      nonNullable: true,
      validators: [Validators.required, Validators.min(1), Validators.max(500), integer],
    }),
    perMinute: new FormControl<number | null>(60, {
      validators: [Validators.min(1), Validators.max(100_000), integer],
    }),
    retryOn: new FormControl<string[]>(['busy', 'no_answer'], { nonNullable: true }),
    maxAttempts: new FormControl<number>(2, {
      nonNullable: true,
      validators: [Validators.required, Validators.min(1), Validators.max(10), integer],
    }),
    retryDelayMinutes: new FormControl<number>(10, {
      nonNullable: true,
      validators: [Validators.required, Validators.min(0), Validators.max(7 * 24 * 60)],
    }),
  });

  protected readonly audienceValue = toSignal(
    this.audience.valueChanges.pipe(map(() => this.audience.getRawValue())),
    { initialValue: this.audience.getRawValue() },
  );
  protected readonly providerValue = toSignal(
    this.provider.valueChanges.pipe(map(() => this.provider.getRawValue())),
    { initialValue: this.provider.getRawValue() },
  );
  protected readonly scheduleValue = toSignal(
    this.schedule.valueChanges.pipe(map(() => this.schedule.getRawValue())),
    { initialValue: this.schedule.getRawValue() },
  );
  protected readonly pacingValue = toSignal(
    this.pacing.valueChanges.pipe(map(() => this.pacing.getRawValue())),
    { initialValue: this.pacing.getRawValue() },
  );

  /** Providers this Switchboard has configured (the simulator always). */
  protected readonly enabledProviders = signal<readonly string[]>(['simulator']);
  protected readonly callerIds = signal<readonly CallerId[]>([]);

  /** The contact picker (explicit list). */
  protected readonly contactSearch = new FormControl('', { nonNullable: true });
  protected readonly contactResults = signal<readonly Contact[]>([]);
  protected readonly contactsLoading = signal(false);
  protected readonly chosen = signal<ReadonlyMap<string, Contact>>(new Map());
  /** The chosen contacts in the order they were picked (a keyvalue pipe would sort them by id). */
  protected readonly chosenList = computed(() => [...this.chosen().values()]);

  /** The live audience preview: null before one arrived; `error` when it could not be computed. */
  protected readonly preview = signal<AudiencePreview | null>(null);
  protected readonly previewError = signal<string | null>(null);
  protected readonly previewLoading = signal(false);

  protected readonly saving = signal(false);
  protected readonly saveError = signal<string | null>(null);

  protected readonly retriesOn = computed(
    () => this.pacingValue().maxAttempts > 1 && this.pacingValue().retryOn.length > 0,
  );

  constructor() {
    this.voiceApi.config().subscribe({
      next: (config) => this.enabledProviders.set(config.providers),
      error: () => this.enabledProviders.set(['simulator']),
    });
    this.voiceApi.callerIds().subscribe({
      next: (ids) => this.callerIds.set(ids),
      error: () => this.callerIds.set([]),
    });

    this.contactSearch.valueChanges
      .pipe(
        startWith(''),
        debounceTime(250),
        distinctUntilChanged(),
        switchMap((q) => {
          this.contactsLoading.set(true);
          return this.contactsApi.list({ q }, { limit: 20 }).pipe(
            map((page) => page.items),
            catchError(() => of([] as Contact[])),
          );
        }),
        takeUntilDestroyed(),
      )
      .subscribe((items) => {
        this.contactsLoading.set(false);
        this.contactResults.set(items);
      });

    // The preview follows the audience and the schedule (windows, zone), debounced.
    combineLatest([
      this.audience.valueChanges.pipe(startWith(null)),
      this.schedule.valueChanges.pipe(startWith(null)),
    ])
      .pipe(
        debounceTime(PREVIEW_DEBOUNCE_MS),
        map(() => this.previewRequest()),
        distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
        switchMap((request) => this.fetchPreview(request)),
        takeUntilDestroyed(),
      )
      .subscribe();
  }

  protected get windows(): FormArray<WindowGroup> {
    return this.schedule.controls.windows;
  }

  protected addWindow(): void {
    this.windows.push(
      new FormGroup(
        {
          days: new FormControl<number[]>([1, 2, 3, 4, 5], {
            nonNullable: true,
            validators: [Validators.required, Validators.minLength(1)],
          }),
          start: new FormControl('09:00', { nonNullable: true, validators: Validators.required }),
          end: new FormControl('17:00', { nonNullable: true, validators: Validators.required }),
        },
        { validators: windowOrder },
      ),
    );
  }

  protected removeWindow(index: number): void {
    this.windows.removeAt(index);
  }

  protected toggleContact(contact: Contact, checked: boolean): void {
    const next = new Map(this.chosen());
    if (checked) next.set(contact.id, contact);
    else next.delete(contact.id);
    this.chosen.set(next);
    this.audience.controls.contactIds.setValue([...next.keys()]);
    this.audience.controls.contactIds.markAsTouched();
  }

  protected toggleRetry(outcome: string, checked: boolean): void {
    const current = this.pacing.controls.retryOn.value;
    this.pacing.controls.retryOn.setValue(
      checked ? [...new Set([...current, outcome])] : current.filter((o) => o !== outcome),
    );
  }

  protected providerDisabled(provider: string): boolean {
    return !this.enabledProviders().includes(provider);
  }

  /** The whole form as the API wants it. */
  protected formValue(): CampaignFormValue {
    const audience = this.audience.getRawValue();
    const provider = this.provider.getRawValue();
    const schedule = this.schedule.getRawValue();
    const pacing = this.pacing.getRawValue();
    return {
      name: audience.name,
      audienceMode: audience.mode,
      tag: audience.tag,
      contactIds: audience.contactIds,
      provider: provider.provider,
      bolnaAgentId: provider.bolnaAgentId,
      callerId: provider.callerId,
      startMode: schedule.startMode,
      startAt: schedule.startAt,
      zoneMode: schedule.zoneMode,
      timeZone: schedule.timeZone,
      windows: schedule.windows,
      maxConcurrent: Number(pacing.maxConcurrent),
      perMinute: pacing.perMinute ? Number(pacing.perMinute) : null,
      retryOn: pacing.retryOn,
      maxAttempts: Number(pacing.maxAttempts),
      retryDelayMinutes: Number(pacing.retryDelayMinutes),
    };
  }

  protected allValid(): boolean {
    return this.audience.valid && this.provider.valid && this.schedule.valid && this.pacing.valid;
  }

  protected create(start: boolean): void {
    if (this.saving()) return;
    for (const group of [this.audience, this.provider, this.schedule, this.pacing]) {
      group.markAllAsTouched();
    }
    if (!this.allValid()) {
      this.saveError.set('Some steps need attention: see the messages next to the fields.');
      return;
    }
    this.saving.set(true);
    this.saveError.set(null);
    this.api
      .create(toNewCampaign(this.formValue()))
      .pipe(
        switchMap((campaign) =>
          start
            ? this.api.act(campaign.id, 'start').pipe(
                // Created but not started (e.g. the audience is empty now): open it as a draft.
                catchError(() => of(campaign)),
              )
            : of(campaign),
        ),
      )
      .subscribe({
        next: (campaign) => {
          this.saving.set(false);
          void this.router.navigate(['/campaigns', campaign.id]);
        },
        error: (err: unknown) => {
          this.saving.set(false);
          this.saveError.set(ApiError.message(err, 'The campaign could not be created.'));
        },
      });
  }

  private previewRequest() {
    const audience = this.audience.getRawValue();
    const hasAudience =
      audience.mode === 'tag' ? !!audience.tag.trim() : audience.contactIds.length > 0;
    if (!hasAudience) return null;
    const schedule = scheduleOf(this.formValue());
    // Only what the preview can judge: a zone that is not one yet would be a 400.
    if (schedule.timeZone && !isTimeZone(schedule.timeZone)) delete schedule.timeZone;
    if (this.windows.invalid) delete schedule.windows;
    delete schedule.startAt;
    return { audience: audienceOf(this.formValue()), schedule };
  }

  private fetchPreview(request: ReturnType<CampaignCreate['previewRequest']>): Observable<void> {
    if (!request) {
      this.preview.set(null);
      this.previewError.set(null);
      this.previewLoading.set(false);
      return of(undefined);
    }
    this.previewLoading.set(true);
    return this.api.preview(request.audience, request.schedule).pipe(
      map((preview) => {
        this.previewLoading.set(false);
        this.previewError.set(null);
        this.preview.set(preview);
      }),
      catchError((err: unknown) => {
        this.previewLoading.set(false);
        this.preview.set(null);
        this.previewError.set(ApiError.message(err, 'The audience could not be counted.'));
        return of(undefined);
      }),
    );
  }
}

function integer(control: AbstractControl): ValidationErrors | null {
  const value = control.value as number | null;
  return value === null ||
    value === undefined ||
    (value as unknown) === '' ||
    Number.isInteger(Number(value))
    ? null
    : { integer: true };
}
