import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  viewChild,
  effect,
  inject,
  input,
  signal,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { ErrorStateMatcher } from '@angular/material/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import { finalize } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { Wallet } from '../../core/wallet/wallet';
import { WalletApi } from '../../core/wallet/wallet-api';
import { WalletStore } from '../../core/wallet/wallet-store';
import { amountErrorText, amountValidator } from '../../shared/money/amount-validator';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { currencySymbol, microsToDecimal, parseAmount } from '../../shared/money/money';

/** The low-balance warning threshold: shown to everyone, changed by owners and admins. */
@Component({
  selector: 'sb-low-balance-setting',
  imports: [
    ReactiveFormsModule,
    MatFormFieldModule,
    MatInputModule,
    MatButtonModule,
    MatIconModule,
    MoneyPipe,
  ],
  template: `
    <span class="label"><mat-icon>notifications_active</mat-icon>Low-balance warning</span>
    @if (canEdit()) {
      <form class="form" [formGroup]="form" (ngSubmit)="save()" novalidate>
        <mat-form-field appearance="outline" class="field" subscriptSizing="dynamic">
          <mat-label>Warn below</mat-label>
          <span matTextPrefix>{{ symbol() }}&nbsp;</span>
          <input
            #thresholdInput
            matInput
            [errorStateMatcher]="showWhileTyping"
            formControlName="threshold"
            inputmode="decimal"
            autocomplete="off"
            data-testid="wallet-threshold-input"
          />
          @if (amountErrorText(form.controls.threshold); as message) {
            <mat-error data-testid="wallet-threshold-field-error">{{ message }}</mat-error>
          }
        </mat-form-field>
        <button
          mat-flat-button
          type="submit"
          [disabled]="saving() || (form.valid && !changed())"
          data-testid="wallet-threshold-save"
        >
          {{ saving() ? 'Saving…' : 'Save' }}
        </button>
      </form>
      @if (error(); as message) {
        <p class="error" role="alert" data-testid="wallet-threshold-error">{{ message }}</p>
      }
    } @else {
      <span class="value" data-testid="wallet-threshold">{{
        wallet().lowBalanceThresholdMicros | money
      }}</span>
    }
    <p class="explain">Everyone sees a warning when the available balance falls below it.</p>
  `,
  styleUrl: './low-balance-setting.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LowBalanceSetting {
  private readonly api = inject(WalletApi);
  private readonly store = inject(WalletStore);
  private readonly snackBar = inject(MatSnackBar);

  readonly wallet = input.required<Wallet>();
  readonly canEdit = input(false);

  protected readonly amountErrorText = amountErrorText;
  protected readonly symbol = computed(() => currencySymbol(this.wallet().currency));
  protected readonly form = inject(NonNullableFormBuilder).group({
    threshold: ['', amountValidator({ allowZero: true })],
  });
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  /** A threshold such as -5 is refused as it is typed, not only after leaving the field. */
  protected readonly showWhileTyping: ErrorStateMatcher = {
    isErrorState: (control) => !!control?.invalid && (control.dirty || control.touched),
  };
  private readonly thresholdInput = viewChild<ElementRef<HTMLInputElement>>('thresholdInput');

  private readonly typed = toSignal(this.form.controls.threshold.valueChanges, {
    initialValue: '',
  });
  protected readonly changed = computed(() => {
    const { micros } = parseAmount(this.typed());
    return micros !== null && micros.toString() !== this.wallet().lowBalanceThresholdMicros;
  });

  constructor() {
    // Show the saved threshold unless the user is editing it.
    effect(() => {
      const threshold = this.wallet().lowBalanceThresholdMicros;
      const control = this.form.controls.threshold;
      if (!control.dirty) control.setValue(microsToDecimal(threshold));
    });
  }

  protected save(): void {
    const { micros } = parseAmount(this.form.controls.threshold.value);
    if (this.saving()) return;
    if (this.form.invalid || micros === null) {
      this.form.markAllAsTouched();
      this.thresholdInput()?.nativeElement.focus();
      return;
    }
    this.saving.set(true);
    this.error.set(null);
    this.api
      .setLowBalanceThreshold(micros.toString())
      .pipe(finalize(() => this.saving.set(false)))
      .subscribe({
        next: (wallet) => {
          this.store.set(wallet);
          this.form.controls.threshold.reset(microsToDecimal(wallet.lowBalanceThresholdMicros));
          this.snackBar.open('Low-balance warning saved', undefined, { duration: 3000 });
        },
        error: (err: unknown) =>
          this.error.set(ApiError.message(err, 'The threshold could not be saved.')),
      });
  }
}
