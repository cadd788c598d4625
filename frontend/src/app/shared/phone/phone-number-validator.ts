import { AbstractControl, ValidationErrors } from '@angular/forms';

/** Accepts E.164 or a national number: digits with optional +, spaces, dots, dashes, brackets. */
export function phoneNumberValidator(control: AbstractControl<string>): ValidationErrors | null {
  const value = (control.value ?? '').trim();
  if (!value) return null;
  const compact = value.replace(/[\s().-]/g, '');
  return /^\+?\d{6,15}$/.test(compact) ? null : { phone: true };
}
