import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, ElementRef, inject, signal } from '@angular/core';
import {
  AbstractControl,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { finalize } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { ApiView } from '../../core/api/api-schema';
import { AuthService } from '../../core/auth/auth-service';
import { LoginResponse, ROLE_LABELS, Role } from '../../core/auth/user';
import { DEFAULT_AFTER_LOGIN } from '../../core/auth/login-redirect';
import { useMaterialSymbols } from '../../core/material/material-symbols';
import { focusFirstError } from '../../shared/forms/focus-first-error';

export const MIN_PASSWORD_LENGTH = 8;

type SetupLinkInfo = ApiView<'SetupLinkInfo'>;

/** The confirmation must repeat the password (the error sits on the confirmation field). */
export function sameAs(field: string) {
  return (control: AbstractControl): ValidationErrors | null =>
    control.value === control.parent?.get(field)?.value ? null : { mismatch: true };
}

/**
 * `/setup/:token`: whoever holds a one-time setup link chooses their password and lands signed
 * in. A link that is unknown, used, expired or of a suspended organization shows why, with the
 * way to the sign-in page.
 */
@Component({
  selector: 'sb-setup-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatButtonModule,
    MatIconModule,
    MatProgressSpinnerModule,
  ],
  templateUrl: './setup-page.html',
  styleUrls: ['../login/login-page.scss', './setup-page.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SetupPage {
  private readonly http = inject(HttpClient);
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly token = inject(ActivatedRoute).snapshot.paramMap.get('token') ?? '';

  protected readonly minLength = MIN_PASSWORD_LENGTH;
  protected readonly info = signal<SetupLinkInfo | null>(null);
  /** Why the link cannot be used (404, 410, 403): replaces the form. */
  protected readonly unusable = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly submitting = signal(false);
  protected readonly passwordHidden = signal(true);

  protected readonly form = inject(NonNullableFormBuilder).group({
    password: ['', [Validators.required, Validators.minLength(MIN_PASSWORD_LENGTH)]],
    confirm: ['', [Validators.required, sameAs('password')]],
  });

  constructor() {
    useMaterialSymbols();
    this.form.controls.password.valueChanges.subscribe(() =>
      this.form.controls.confirm.updateValueAndValidity({ emitEvent: false }),
    );
    this.http.get<SetupLinkInfo>(`/api/auth/setup/${encodeURIComponent(this.token)}`).subscribe({
      next: (info) => this.info.set(info),
      error: (err: unknown) => this.unusable.set(linkProblem(err)),
    });
  }

  protected roleLabel(role: string): string {
    return ROLE_LABELS[role as Role] ?? 'Platform operator';
  }

  protected submit(): void {
    if (this.submitting()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      focusFirstError(this.host.nativeElement);
      return;
    }
    this.error.set(null);
    this.submitting.set(true);
    this.http
      .post<LoginResponse>(`/api/auth/setup/${encodeURIComponent(this.token)}`, {
        password: this.form.controls.password.value,
      })
      .pipe(finalize(() => this.submitting.set(false)))
      .subscribe({
        next: (response) => {
          this.auth.startSession(response);
          void this.router.navigateByUrl(DEFAULT_AFTER_LOGIN);
        },
        error: (err: unknown) => {
          const status = ApiError.status(err);
          if (status === 404 || status === 410 || status === 403)
            this.unusable.set(linkProblem(err));
          else this.error.set(ApiError.message(err, 'Your password could not be saved.'));
        },
      });
  }

  protected togglePasswordVisibility(): void {
    this.passwordHidden.update((hidden) => !hidden);
  }
}

function linkProblem(err: unknown): string {
  return ApiError.message(err, 'This setup link cannot be used.');
}
