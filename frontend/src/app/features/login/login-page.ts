import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  input,
  signal,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, Router } from '@angular/router';
import { HttpClient } from '@angular/common/http';
import { finalize } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { AuthService } from '../../core/auth/auth-service';
import { homeOf } from '../../core/auth/home';
import { safeReturnUrl } from '../../core/auth/login-redirect';
import { useMaterialSymbols } from '../../core/material/material-symbols';

interface DemoAccount {
  role: string;
  email: string;
  password: string;
}

const ROLE_LABELS: Record<string, string> = {
  owner: 'Admin',
  admin: 'Admin',
  agent: 'Agent',
  operator: 'Operator',
};

/**
 * Sign-in form; on success goes to `returnUrl` (an in-app path) or the user's home: the dashboard,
 * or /platform for the platform operator.
 */
@Component({
  selector: 'sb-login-page',
  imports: [
    ReactiveFormsModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatButtonModule,
    MatIconModule,
    MatProgressSpinnerModule,
    MatTooltipModule,
  ],
  templateUrl: './login-page.html',
  styleUrl: './login-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  private readonly route = inject(ActivatedRoute);

  /**
   * Where to go after signing in; read from the `returnUrl` query parameter when not set. (The
   * router's input binding would do this, but it costs its code in the initial JavaScript.)
   */
  readonly returnUrl = input<string | undefined>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });

  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly passwordHidden = signal(true);
  /** The seeded demo sign-ins; the backend lists them outside production only. */
  protected readonly demoAccounts = signal<DemoAccount[]>([]);

  constructor() {
    useMaterialSymbols();
    inject(HttpClient)
      .get<{ items: { email: string; password: string; role: string }[] }>(
        '/api/auth/demo-accounts',
      )
      .subscribe({
        next: ({ items }) =>
          this.demoAccounts.set(
            items.map((item) => ({ ...item, role: ROLE_LABELS[item.role] ?? item.role })),
          ),
        error: () => this.demoAccounts.set([]),
      });
  }

  protected submit(): void {
    if (this.submitting()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      this.focusField('input.ng-invalid');
      return;
    }
    const { email, password } = this.form.getRawValue();
    this.error.set(null);
    this.submitting.set(true);
    this.auth
      .login(email.trim(), password)
      .pipe(finalize(() => this.submitting.set(false)))
      .subscribe({
        next: (user) => {
          const returnUrl = this.returnUrl() ?? this.route.snapshot.queryParamMap.get('returnUrl');
          void this.router.navigateByUrl(returnUrl ? safeReturnUrl(returnUrl) : homeOf(user));
        },
        error: (err: unknown) => {
          this.error.set(ApiError.message(err, 'Sign-in failed. Please try again.'));
          // The field to fix: the password (selected, to type it again); the alert is announced.
          this.focusField('[data-testid="login-password"]', true);
        },
      });
  }

  /** Moves focus to the first field matching `selector` (after the view shows the errors). */
  private focusField(selector: string, select = false): void {
    setTimeout(() => {
      const field = this.host.nativeElement.querySelector<HTMLInputElement>(selector);
      field?.focus();
      if (select) field?.select();
    });
  }

  protected useDemoAccount(account: DemoAccount): void {
    this.form.setValue({ email: account.email, password: account.password });
    this.error.set(null);
  }

  protected togglePasswordVisibility(): void {
    this.passwordHidden.update((hidden) => !hidden);
  }
}
