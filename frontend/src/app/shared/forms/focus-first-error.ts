/**
 * Moves focus to the first field of `root` that shows an error (Material marks its form field
 * `mat-form-field-invalid` once the control is touched), after Angular has rendered the errors.
 * Call after `markAllAsTouched()` when a submit is refused.
 */
export function focusFirstError(root: HTMLElement | null | undefined): void {
  if (!root) return;
  // The error state is rendered on the next change detection: wait a frame.
  setTimeout(() => {
    const field = root.querySelector<HTMLElement>(
      '.mat-form-field-invalid input, .mat-form-field-invalid textarea, ' +
        '.mat-form-field-invalid mat-select, .mat-form-field-invalid [tabindex], ' +
        'input.ng-invalid, textarea.ng-invalid, mat-select.ng-invalid',
    );
    field?.focus();
  });
}
