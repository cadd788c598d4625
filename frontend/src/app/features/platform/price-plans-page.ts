import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import { finalize } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { IntlDatePipe } from '../../shared/format/intl-format';
import { LoadState } from '../../shared/load-state/load-state';
import { PlatformApi, PricePlan } from './platform-api';

/**
 * Platform → Price plans: the rate decks sold to organizations (the default plan prices every
 * organization without one, and every destination a plan lacks). A new plan starts empty or as a
 * copy of another; its rates are edited on its own page.
 */
@Component({
  selector: 'sb-price-plans-page',
  imports: [
    RouterLink,
    ReactiveFormsModule,
    MatTableModule,
    MatButtonModule,
    MatIconModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    EmptyState,
    LoadState,
    IntlDatePipe,
  ],
  templateUrl: './price-plans-page.html',
  styleUrl: './price-plans-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PricePlansPage {
  private readonly api = inject(PlatformApi);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly columns = ['name', 'rates', 'organizations', 'createdAt'];
  protected readonly plans = signal<PricePlan[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(120)]],
    copyFrom: [''],
  });
  protected readonly creating = signal(false);
  protected readonly createError = signal<string | null>(null);

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.error.set(null);
    this.api
      .pricePlans()
      .pipe(
        finalize(() => this.loading.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: ({ items }) => this.plans.set(items),
        error: (err: unknown) =>
          this.error.set(ApiError.message(err, 'Could not load the price plans.')),
      });
  }

  protected create(): void {
    if (this.creating()) return;
    const name = this.form.controls.name.value.trim();
    if (this.form.invalid || !name) {
      this.form.controls.name.setErrors({ required: true });
      this.form.markAllAsTouched();
      return;
    }
    this.creating.set(true);
    this.createError.set(null);
    this.api
      .createPricePlan({ name, copyFrom: this.form.controls.copyFrom.value || undefined })
      .pipe(finalize(() => this.creating.set(false)))
      .subscribe({
        next: (plan) => void this.router.navigate(['/platform/price-plans', plan.id]),
        error: (err: unknown) => {
          const message = ApiError.message(err, 'The price plan could not be created.');
          if (ApiError.status(err) === 409) {
            this.form.controls.name.setErrors({ taken: true });
            this.form.controls.name.markAsTouched();
          }
          this.createError.set(message);
        },
      });
  }
}
