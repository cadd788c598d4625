import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  computed,
  inject,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import {
  AbstractControl,
  FormArray,
  FormControl,
  FormGroup,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { finalize } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { focusFirstError } from '../../shared/forms/focus-first-error';
import { Rate, RateDeck, RateInput } from '../../core/billing/billing';
import { BillingApi } from '../../core/billing/billing-api';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { amountErrorText, amountValidator } from '../../shared/money/amount-validator';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { currencySymbol, microsToDecimal, parseAmount } from '../../shared/money/money';

/** Digits of micros a rate per minute may have (the API's limit). */
export const RATE_MICRO_DIGITS = 12;
export const MAX_INCREMENT_SECONDS = 3600;

export type RateRow = FormGroup<{
  prefix: FormControl<string>;
  description: FormControl<string>;
  rate: FormControl<string>;
  initialIncrement: FormControl<number | null>;
  subsequentIncrement: FormControl<number | null>;
  minimumSeconds: FormControl<number | null>;
}>;

/** A rate of the effective deck as the table shows it. */
export interface DeckRow extends Rate {
  /** A default rate that an organization rate with the same prefix replaces. */
  overridden: boolean;
}

/** `+44 ` → `44`. */
export function normalizePrefix(prefix: string): string {
  return prefix.trim().replace(/^\+/, '');
}

/** E.164 digits without the leading zero, `+` allowed. */
function prefixValidator(control: AbstractControl<string>): ValidationErrors | null {
  const value = normalizePrefix(control.value ?? '');
  if (!value) return null;
  return /^[1-9]\d{0,14}$/.test(value) ? null : { prefix: true };
}

/** Another row of the same list has this prefix. */
function uniquePrefixValidator(control: AbstractControl<string>): ValidationErrors | null {
  const rows = control.parent?.parent;
  const value = normalizePrefix(control.value ?? '');
  if (!(rows instanceof FormArray) || !value) return null;
  const same = rows.controls.filter(
    (row) => normalizePrefix((row as RateRow).controls.prefix.value) === value,
  );
  return same.length > 1 ? { duplicate: true } : null;
}

const wholeSeconds = (min: number) => [
  Validators.required,
  Validators.min(min),
  Validators.max(MAX_INCREMENT_SECONDS),
  (control: AbstractControl<number | null>): ValidationErrors | null =>
    control.value === null || Number.isInteger(control.value) ? null : { wholeNumber: true },
];

/** The API's field names → the row's controls, to point at what the server refused. */
const API_FIELDS: Readonly<Record<string, keyof RateRow['controls']>> = {
  prefix: 'prefix',
  description: 'description',
  ratePerMinuteMicros: 'rate',
  initialIncrement: 'initialIncrement',
  subsequentIncrement: 'subsequentIncrement',
  minimumSeconds: 'minimumSeconds',
};

/**
 * Billing → Rates (owners and admins): the effective deck (the organization's overrides over the
 * default deck) and an editor that replaces the overrides in one PUT.
 */
@Component({
  selector: 'sb-rates-editor',
  imports: [
    ReactiveFormsModule,
    MatTableModule,
    MatButtonModule,
    MatIconModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatTooltipModule,
    EmptyState,
    MoneyPipe,
  ],
  templateUrl: './rates-editor.html',
  styleUrl: './rates-editor.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RatesEditor {
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly api = inject(BillingApi);
  private readonly snackBar = inject(MatSnackBar);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly amountErrorText = amountErrorText;
  protected readonly maxSeconds = MAX_INCREMENT_SECONDS;
  protected readonly columns = [
    'prefix',
    'description',
    'rate',
    'billing',
    'minimum',
    'source',
    'actions',
  ];

  protected readonly deck = signal<RateDeck | null>(null);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  protected readonly editing = signal(false);
  protected readonly saving = signal(false);
  protected readonly saveError = signal<string | null>(null);

  protected readonly rows = new FormArray<RateRow>([]);
  protected readonly form = new FormGroup({ rates: this.rows });

  /** Every rate of the deck by prefix; default rates an override replaces are flagged. */
  protected readonly effective = computed<readonly DeckRow[]>(() => {
    const deck = this.deck();
    if (!deck) return [];
    const overridden = new Set(deck.organization.map((rate) => rate.prefix));
    return [
      ...deck.organization.map((rate) => ({ ...rate, overridden: false })),
      ...deck.default.map((rate) => ({ ...rate, overridden: overridden.has(rate.prefix) })),
    ].sort((a, b) => a.prefix.localeCompare(b.prefix) || (a.source === 'organization' ? -1 : 1));
  });
  protected readonly currency = computed(
    () => this.deck()?.organization[0]?.currency ?? this.deck()?.default[0]?.currency ?? 'USD',
  );
  protected readonly symbol = computed(() => currencySymbol(this.currency()));
  protected readonly overrideCount = computed(() => this.deck()?.organization.length ?? 0);

  constructor() {
    // A changed prefix can make another row's prefix (un)duplicated: check them all again.
    this.rows.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => {
      for (const row of this.rows.controls) {
        row.controls.prefix.updateValueAndValidity({ emitEvent: false });
      }
    });
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.loadError.set(null);
    this.api
      .rates()
      .pipe(
        finalize(() => this.loading.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (deck) => this.deck.set(deck),
        error: (err: unknown) =>
          this.loadError.set(ApiError.message(err, 'Could not load the rate deck.')),
      });
  }

  /** Opens the editor with the organization's rates, plus `extra` (a default rate to override). */
  protected edit(extra?: Rate): void {
    this.rows.clear({ emitEvent: false });
    for (const rate of this.deck()?.organization ?? []) this.rows.push(this.row(rate));
    if (extra) this.rows.push(this.row(extra));
    if (!this.rows.length) this.rows.push(this.row());
    this.saveError.set(null);
    this.editing.set(true);
  }

  protected add(): void {
    this.rows.push(this.row());
  }

  protected remove(index: number): void {
    this.rows.removeAt(index);
  }

  protected cancel(): void {
    this.editing.set(false);
    this.saveError.set(null);
  }

  protected save(): void {
    if (this.saving()) return;
    if (this.rows.invalid) {
      this.rows.markAllAsTouched();
      this.saveError.set('Check the highlighted fields.');
      focusFirstError(this.host.nativeElement);
      return;
    }
    this.saving.set(true);
    this.saveError.set(null);
    this.api
      .replaceRates(toRateInputs(this.rows))
      .pipe(finalize(() => this.saving.set(false)))
      .subscribe({
        next: (deck) => {
          this.deck.set(deck);
          this.editing.set(false);
          this.snackBar.open(
            `Saved ${deck.organization.length} organization ${deck.organization.length === 1 ? 'rate' : 'rates'}`,
            undefined,
            { duration: 4000 },
          );
        },
        error: (err: unknown) => {
          const message = ApiError.message(err, 'The rates could not be saved.');
          this.saveError.set(message);
          markServerErrors(this.rows, message);
        },
      });
  }

  /** The field shows its own `+`: drop a typed one and the spaces. */
  protected tidyPrefix(row: RateRow): void {
    const prefix = row.controls.prefix;
    const tidy = normalizePrefix(prefix.value).replace(/\s+/g, '');
    if (tidy !== prefix.value) prefix.setValue(tidy);
  }

  protected prefixError(row: RateRow): string | null {
    const prefix = row.controls.prefix;
    if (prefix.hasError('required')) return 'Required';
    if (prefix.hasError('prefix')) return 'Digits, no leading 0';
    if (prefix.hasError('duplicate')) return 'Listed twice';
    if (prefix.hasError('server')) return 'Check this prefix';
    return null;
  }

  protected secondsError(control: FormControl<number | null>, min: number): string | null {
    if (control.hasError('server')) return 'Check this value';
    return control.invalid ? `${min}–${MAX_INCREMENT_SECONDS} s` : null;
  }

  private row(rate?: Partial<RateInput>): RateRow {
    return this.fb.group({
      prefix: [rate?.prefix ?? '', [Validators.required, prefixValidator, uniquePrefixValidator]],
      description: [rate?.description ?? '', [Validators.required, Validators.maxLength(120)]],
      rate: [
        rate?.ratePerMinuteMicros !== undefined ? microsToDecimal(rate.ratePerMinuteMicros) : '',
        amountValidator({ allowZero: true, maxMicroDigits: RATE_MICRO_DIGITS }),
      ],
      initialIncrement: [rate?.initialIncrement ?? 60, wholeSeconds(1)],
      subsequentIncrement: [rate?.subsequentIncrement ?? 60, wholeSeconds(1)],
      minimumSeconds: [rate?.minimumSeconds ?? 0, wholeSeconds(0)],
    }) as RateRow;
  }
}

/** The rows as the API takes them (valid rows only: call after checking the array). */
export function toRateInputs(rows: FormArray<RateRow>): RateInput[] {
  return rows.controls.map((row) => {
    const value = row.getRawValue();
    return {
      prefix: normalizePrefix(value.prefix),
      description: value.description.trim(),
      ratePerMinuteMicros: String(parseAmount(value.rate, RATE_MICRO_DIGITS).micros ?? ''),
      initialIncrement: value.initialIncrement ?? 0,
      subsequentIncrement: value.subsequentIncrement ?? 0,
      minimumSeconds: value.minimumSeconds ?? 0,
    };
  });
}

/**
 * Points at the fields a 400 names (`rates.2.prefix must be …`) and the prefixes a 409 lists
 * (`… listed more than once: 44, 1212`).
 */
export function markServerErrors(rows: FormArray<RateRow>, message: string): void {
  for (const [, index, field] of message.matchAll(/rates\.(\d+)\.(\w+)/g)) {
    const control = rows.at(Number(index))?.controls[API_FIELDS[field] ?? 'prefix'];
    control?.setErrors({ ...control.errors, server: true });
    control?.markAsTouched();
  }
  const listed = /more than once:\s*([\d,\s+]+)/i.exec(message)?.[1];
  const repeated = new Set(
    (listed ?? '')
      .split(',')
      .map((p) => normalizePrefix(p))
      .filter(Boolean),
  );
  for (const row of rows.controls) {
    const prefix = row.controls.prefix;
    if (repeated.has(normalizePrefix(prefix.value))) {
      prefix.setErrors({ ...prefix.errors, server: true });
      prefix.markAsTouched();
    }
  }
}
