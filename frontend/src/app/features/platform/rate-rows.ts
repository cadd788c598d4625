import {
  AbstractControl,
  FormArray,
  FormControl,
  FormGroup,
  NonNullableFormBuilder,
  ValidationErrors,
  Validators,
} from '@angular/forms';

import { amountValidator } from '../../shared/money/amount-validator';
import { microsToDecimal, parseAmount } from '../../shared/money/money';
import { PlanRateInput } from './platform-api';

/*
 * A price plan's rates as editable rows, with the api's rules checked next to each field
 * (RateInput in backend/src/modules/billing/rates.dto.ts).
 */

/** Digits of micros a rate per minute may have (the api's limit). */
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

/** `+44 ` → `44`. */
export function normalizePrefix(prefix: string): string {
  return prefix.trim().replace(/^\+/, '').replace(/\s+/g, '');
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

export function rateRow(fb: NonNullableFormBuilder, rate?: Partial<PlanRateInput>): RateRow {
  return fb.group({
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

/** The rows as the api takes them (call after checking the array is valid). */
export function toRateInputs(rows: FormArray<RateRow>): PlanRateInput[] {
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

/** The api's field names → the row's controls, to point at what the server refused. */
const API_FIELDS: Readonly<Record<string, keyof RateRow['controls']>> = {
  prefix: 'prefix',
  description: 'description',
  ratePerMinuteMicros: 'rate',
  initialIncrement: 'initialIncrement',
  subsequentIncrement: 'subsequentIncrement',
  minimumSeconds: 'minimumSeconds',
};

/**
 * Marks the fields a 400 names (`rates.2.prefix must be …`) and the prefixes a 409 lists
 * (`… listed more than once: +44, +1212`).
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

export function prefixError(row: RateRow): string | null {
  const prefix = row.controls.prefix;
  if (prefix.hasError('required')) return 'Required';
  if (prefix.hasError('prefix')) return 'Digits, no leading 0';
  if (prefix.hasError('duplicate')) return 'Listed twice';
  if (prefix.hasError('server')) return 'Check this prefix';
  return null;
}

export function secondsError(control: FormControl<number | null>, min: number): string | null {
  if (control.hasError('server')) return 'Check this value';
  if (control.hasError('wholeNumber')) return 'Whole seconds';
  return control.invalid ? `${min}–${MAX_INCREMENT_SECONDS} s` : null;
}
