import { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';

import { AmountError, MAX_AMOUNT_MICRO_DIGITS, parseAmount } from './money';

/** What `amountValidator` reports under the `amount` key. */
export type AmountValidationError = AmountError | 'zero';

export interface AmountRules {
  /** Accept 0 (a free rate, no warning threshold); otherwise the amount must be positive. */
  allowZero?: boolean;
  maxMicroDigits?: number;
}

/** Validates an amount typed in currency units with the exact parser: `{ amount: 'precision' }`. */
export function amountValidator(rules: AmountRules = {}): ValidatorFn {
  return (control: AbstractControl<string | null>): ValidationErrors | null => {
    const parsed = parseAmount(control.value, rules.maxMicroDigits ?? MAX_AMOUNT_MICRO_DIGITS);
    if (parsed.error) return { amount: parsed.error };
    if (parsed.micros === 0n && !rules.allowZero) return { amount: 'zero' };
    return null;
  };
}

const MESSAGES: Readonly<Record<AmountValidationError, string>> = {
  required: 'Enter an amount',
  format: 'Enter a number, e.g. 25 or 25.50',
  negative: 'Enter a positive amount',
  precision: 'Use at most 6 decimals',
  tooLarge: 'That amount is too large',
  zero: 'Enter an amount greater than 0',
};

/** The sentence to show under a field for its `amount` error (null when it has none). */
export function amountErrorText(control: AbstractControl): string | null {
  const error = control.getError('amount') as AmountValidationError | null;
  return error ? MESSAGES[error] : null;
}
