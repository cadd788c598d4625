import { BreakpointObserver } from '@angular/cdk/layout';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  ElementRef,
  inject,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormArray, FormGroup, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { finalize, map } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { LoadState } from '../../shared/load-state/load-state';
import { amountErrorText } from '../../shared/money/amount-validator';
import { currencySymbol } from '../../shared/money/money';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { PlanDeck, PlatformApi, ownRates } from './platform-api';
import {
  MAX_INCREMENT_SECONDS,
  RateRow,
  markServerErrors,
  normalizePrefix,
  prefixError,
  rateRow,
  secondsError,
  toRateInputs,
} from './rate-rows';
import { focusFirstError } from '../../shared/forms/focus-first-error';

/**
 * Platform → one price plan: its rate deck (prefix, destination, price per minute, billing
 * increments, minimum), edited as a whole and replaced in one PUT. A plan other than the default
 * lists only what it prices differently; the default plan prices the rest.
 */
@Component({
  selector: 'sb-plan-rates-page',
  imports: [
    RouterLink,
    ReactiveFormsModule,
    MatTableModule,
    MatButtonModule,
    MatIconModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatTooltipModule,
    EmptyState,
    LoadState,
    MoneyPipe,
  ],
  templateUrl: './plan-rates-page.html',
  styleUrl: './plan-rates-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PlanRatesPage {
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly api = inject(PlatformApi);
  private readonly snackBar = inject(MatSnackBar);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly id = inject(ActivatedRoute).snapshot.paramMap.get('id') ?? '';
  protected readonly amountErrorText = amountErrorText;
  protected readonly prefixError = prefixError;
  protected readonly secondsError = secondsError;
  protected readonly maxSeconds = MAX_INCREMENT_SECONDS;
  protected readonly columns = ['prefix', 'description', 'rate', 'billing', 'minimum'];

  /** Below 960px the rows wrap, without the column heads: each field gets its label. */
  protected readonly compact = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 959.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );

  protected readonly deck = signal<PlanDeck | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly editing = signal(false);
  protected readonly saving = signal(false);
  protected readonly saveError = signal<string | null>(null);

  protected readonly rows = new FormArray<RateRow>([]);
  protected readonly form = new FormGroup({ rates: this.rows });

  protected readonly rates = computed(() => {
    const deck = this.deck();
    return deck ? ownRates(deck) : [];
  });
  protected readonly fallbackCount = computed(() => {
    const deck = this.deck();
    return deck && !deck.plan.isDefault ? deck.default.length : 0;
  });
  protected readonly currency = computed(
    () => this.rates()[0]?.currency ?? this.deck()?.default[0]?.currency ?? 'USD',
  );
  protected readonly symbol = computed(() => currencySymbol(this.currency()));

  constructor() {
    // A changed prefix can make another row's prefix (un)duplicated: check them all again.
    this.rows.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => {
      for (const row of this.rows.controls) {
        row.controls.prefix.updateValueAndValidity({ emitEvent: false });
      }
    });
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.error.set(null);
    this.api
      .planRates(this.id)
      .pipe(
        finalize(() => this.loading.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (deck) => this.deck.set(deck),
        error: (err: unknown) =>
          this.error.set(ApiError.message(err, 'Could not load the price plan.')),
      });
  }

  protected edit(): void {
    this.rows.clear({ emitEvent: false });
    for (const rate of this.rates()) this.rows.push(rateRow(this.fb, rate), { emitEvent: false });
    if (!this.rows.length) this.rows.push(rateRow(this.fb));
    this.saveError.set(null);
    this.editing.set(true);
  }

  protected add(): void {
    this.rows.push(rateRow(this.fb));
  }

  protected remove(index: number): void {
    this.rows.removeAt(index);
  }

  protected cancel(): void {
    this.editing.set(false);
    this.saveError.set(null);
  }

  protected save(): void {
    if (this.saving()) return;
    if (this.rows.invalid) {
      this.rows.markAllAsTouched();
      focusFirstError(this.host.nativeElement);
      this.saveError.set('Check the highlighted fields.');
      return;
    }
    this.saving.set(true);
    this.saveError.set(null);
    this.api
      .replacePlanRates(this.id, toRateInputs(this.rows))
      .pipe(finalize(() => this.saving.set(false)))
      .subscribe({
        next: (deck) => {
          this.deck.set(deck);
          this.editing.set(false);
          const count = ownRates(deck).length;
          this.snackBar.open(
            `Saved ${count} ${count === 1 ? 'rate' : 'rates'} of ${deck.plan.name}`,
            'Dismiss',
            { duration: 4000 },
          );
        },
        error: (err: unknown) => {
          const message = ApiError.message(err, 'The rates could not be saved.');
          this.saveError.set(message);
          markServerErrors(this.rows, message);
        },
      });
  }

  /** The field shows its own `+`: drop a typed one and the spaces. */
  protected tidyPrefix(row: RateRow): void {
    const prefix = row.controls.prefix;
    const tidy = normalizePrefix(prefix.value);
    if (tidy !== prefix.value) prefix.setValue(tidy);
  }
}
