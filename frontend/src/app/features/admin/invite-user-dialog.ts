import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, ElementRef, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { finalize } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { focusFirstError } from '../../shared/forms/focus-first-error';
import { ROLES, ROLE_LABELS, Role, User } from '../../core/auth/user';
import { SetupLink, UsersApi } from '../../core/users/users-api';
import { IntlDatePipe } from '../../shared/format/intl-format';
import { ROLE_DESCRIPTIONS } from './role-descriptions';

/** Opens the dialog on a link already issued (a new link for a pending user). */
export interface InviteUserDialogData {
  user: User;
  link: SetupLink;
}

/**
 * Invites a user: name, email and role; the api creates them without a password and answers a
 * one-time setup link, shown here once with a copy button (Switchboard sends no email: the admin
 * sends it). Closes with the invited user. Opened with data, shows that user's new link.
 */
@Component({
  selector: 'sb-invite-user-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    IntlDatePipe,
  ],
  templateUrl: './invite-user-dialog.html',
  styleUrl: './invite-user-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InviteUserDialog {
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly api = inject(UsersApi);
  private readonly clipboard = inject(Clipboard);
  private readonly dialogRef = inject<MatDialogRef<InviteUserDialog, User>>(MatDialogRef);
  private readonly data = inject<InviteUserDialogData | null>(MAT_DIALOG_DATA, { optional: true });

  protected readonly roles = ROLES;
  protected readonly roleLabels = ROLE_LABELS;
  protected readonly roleDescriptions = ROLE_DESCRIPTIONS;

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(120)]],
    email: ['', [Validators.required, Validators.email]],
    role: ['agent' as Role, Validators.required],
  });

  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The invited user and their link, once the api answered (shown instead of the form). */
  protected readonly invited = signal<InviteUserDialogData | null>(this.data);
  protected readonly copied = signal(false);

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
      .invite({ ...value, name: value.name.trim(), email: value.email.trim() })
      .pipe(finalize(() => this.saving.set(false)))
      .subscribe({
        next: ({ user, setupUrl, expiresAt }) => {
          // The link is shown once: closing by a click outside or Escape would lose it.
          this.invited.set({ user, link: { setupUrl, expiresAt } });
        },
        error: (err: unknown) => {
          this.dialogRef.disableClose = false;
          if (ApiError.status(err) === 409) {
            // Said once, on the email field.
            this.form.controls.email.setErrors({ taken: true });
            this.form.controls.email.markAsTouched();
            return;
          }
          this.error.set(ApiError.message(err, 'Could not invite the user. Please try again.'));
        },
      });
  }

  protected copy(url: string): void {
    this.copied.set(this.clipboard.copy(url));
  }

  protected done(): void {
    this.dialogRef.close(this.invited()?.user);
  }
}
