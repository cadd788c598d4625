import { ChangeDetectionStrategy, Component, ElementRef, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { finalize } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { focusFirstError } from '../../shared/forms/focus-first-error';
import { ROLES, ROLE_LABELS, Role, User } from '../../core/auth/user';
import { ROLE_DESCRIPTIONS } from './role-descriptions';
import { UsersApi } from '../../core/users/users-api';

export const MIN_PASSWORD_LENGTH = 8;

/** Creates a user in the organization; closes with the created user. */
@Component({
  selector: 'sb-add-user-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
  ],
  templateUrl: './add-user-dialog.html',
  styleUrl: './add-user-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AddUserDialog {
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly api = inject(UsersApi);
  private readonly dialogRef = inject<MatDialogRef<AddUserDialog, User>>(MatDialogRef);

  protected readonly roles = ROLES;
  protected readonly roleLabels = ROLE_LABELS;
  protected readonly roleDescriptions = ROLE_DESCRIPTIONS;
  protected readonly minPasswordLength = MIN_PASSWORD_LENGTH;

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(120)]],
    email: ['', [Validators.required, Validators.email]],
    role: ['agent' as Role, Validators.required],
    password: ['', [Validators.required, Validators.minLength(MIN_PASSWORD_LENGTH)]],
  });

  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly passwordHidden = signal(true);

  protected submit(): void {
    if (this.saving()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      focusFirstError(this.host.nativeElement);
      return;
    }
    const value = this.form.getRawValue();
    this.error.set(null);
    this.saving.set(true);
    this.dialogRef.disableClose = true;
    this.api
      .create({ ...value, name: value.name.trim(), email: value.email.trim() })
      .pipe(
        finalize(() => {
          this.saving.set(false);
          this.dialogRef.disableClose = false;
        }),
      )
      .subscribe({
        next: (user) => this.dialogRef.close(user),
        error: (err: unknown) => {
          if (ApiError.status(err) === 409) {
            // Said once, on the email field.
            this.form.controls.email.setErrors({ taken: true });
            this.form.controls.email.markAsTouched();
            return;
          }
          this.error.set(ApiError.message(err, 'Could not add the user. Please try again.'));
        },
      });
  }

  protected togglePasswordVisibility(): void {
    this.passwordHidden.update((hidden) => !hidden);
  }
}
