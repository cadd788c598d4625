import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, ElementRef, inject, signal } from '@angular/core';
import {
  FormGroupDirective,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { finalize } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { AuthService } from '../../core/auth/auth-service';
import { LoginResponse } from '../../core/auth/user';
import { MIN_PASSWORD_LENGTH, sameAs } from '../setup/setup-page';
import { focusFirstError } from '../../shared/forms/focus-first-error';

/**
 * Account → Change password: the current password, the new one twice. The api ends every other
 * session of the user (their older tokens are refused) and answers a fresh token for this one.
 */
@Component({
  selector: 'sb-change-password-page',
  imports: [
    ReactiveFormsModule,
    MatFormFieldModule,
    MatInputModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
  ],
  templateUrl: './change-password-page.html',
  styleUrl: './change-password-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChangePasswordPage {
  private readonly http = inject(HttpClient);
  private readonly auth = inject(AuthService);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  protected readonly minLength = MIN_PASSWORD_LENGTH;
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly changed = signal(false);
  protected readonly hidden = signal(true);
  protected readonly email = () => this.auth.user()?.email ?? '';

  protected readonly form = inject(NonNullableFormBuilder).group({
    currentPassword: ['', Validators.required],
    newPassword: ['', [Validators.required, Validators.minLength(MIN_PASSWORD_LENGTH)]],
    confirm: ['', [Validators.required, sameAs('newPassword')]],
  });

  constructor() {
    this.form.controls.newPassword.valueChanges.subscribe(() =>
      this.form.controls.confirm.updateValueAndValidity({ emitEvent: false }),
    );
  }

  protected submit(directive: FormGroupDirective): void {
    if (this.saving()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      focusFirstError(this.host.nativeElement);
      return;
    }
    const { currentPassword, newPassword } = this.form.getRawValue();
    if (currentPassword === newPassword) {
      this.form.controls.newPassword.setErrors({ same: true });
      this.focus('[data-testid="new-password"]');
      return;
    }
    this.error.set(null);
    this.changed.set(false);
    this.saving.set(true);
    this.http
      .post<LoginResponse>('/api/auth/password', { currentPassword, newPassword })
      .pipe(finalize(() => this.saving.set(false)))
      .subscribe({
        next: (response) => {
          this.auth.startSession(response);
          directive.resetForm();
          this.changed.set(true);
        },
        error: (err: unknown) => {
          const message = ApiError.message(err, 'Your password could not be changed.');
          if (ApiError.status(err) === 400 && /currentPassword/.test(message)) {
            // Said once, on the field to fix.
            this.form.controls.currentPassword.setErrors({ wrong: true });
            this.focus('[data-testid="current-password"]');
            return;
          }
          this.error.set(message);
        },
      });
  }

  protected toggleHidden(): void {
    this.hidden.update((hidden) => !hidden);
  }

  private focus(selector: string): void {
    setTimeout(() => {
      const input = this.host.nativeElement.querySelector<HTMLInputElement>(selector);
      input?.focus();
      input?.select();
    });
  }
}
