import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  inject,
  signal,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { finalize } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { focusFirstError } from '../../shared/forms/focus-first-error';
import { newIdempotencyKey } from '../../core/api/idempotency-key';
import { Payment, TopUp } from '../../core/wallet/wallet';
import { WalletApi } from '../../core/wallet/wallet-api';
import { WalletStore } from '../../core/wallet/wallet-store';
import { amountErrorText, amountValidator } from '../../shared/money/amount-validator';
import {
  MICROS_PER_UNIT,
  currencySymbol,
  formatMoney,
  parseAmount,
  parseMicros,
} from '../../shared/money/money';

export interface TopUpDialogData {
  currency: string;
}

/** Whole currency units offered as one-click amounts. */
export const QUICK_AMOUNTS = [10, 25, 50, 100] as const;

/**
 * Starts a top-up payment and closes with it (the page then opens its checkout). One
 * Idempotency-Key per opening of the dialog, sent again on every retry: a double click or a retry
 * after a lost response never starts two payments.
 */
@Component({
  selector: 'sb-top-up-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
  ],
  templateUrl: './top-up-dialog.html',
  styleUrl: './top-up-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TopUpDialog {
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly api = inject(WalletApi);
  private readonly walletStore = inject(WalletStore);
  private readonly dialogRef = inject<MatDialogRef<TopUpDialog, Payment>>(MatDialogRef);
  private readonly data = inject<TopUpDialogData | null>(MAT_DIALOG_DATA, { optional: true });
  private readonly idempotencyKey = newIdempotencyKey();

  protected readonly currency = this.data?.currency ?? this.walletStore.wallet()?.currency ?? 'USD';
  protected readonly symbol = currencySymbol(this.currency);
  protected readonly quickAmounts = QUICK_AMOUNTS;
  protected readonly amountErrorText = amountErrorText;

  protected readonly form = inject(NonNullableFormBuilder).group({
    amount: ['', amountValidator()],
  });

  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  private readonly amountText = toSignal(this.form.controls.amount.valueChanges, {
    initialValue: this.form.controls.amount.value,
  });
  /** The typed amount in micros, when it is a valid one. */
  protected readonly amountMicros = computed(() => {
    const { micros } = parseAmount(this.amountText());
    return micros !== null && micros > 0n ? micros : null;
  });
  protected readonly amountLabel = computed(() => {
    const micros = this.amountMicros();
    return micros === null ? null : this.format(micros);
  });
  /** What the balance becomes, from the balance known now. */
  protected readonly newBalance = computed(() => {
    const micros = this.amountMicros();
    const balance = parseMicros(this.walletStore.wallet()?.balanceMicros);
    return micros === null || balance === null ? null : this.format(balance + micros);
  });

  protected pick(units: number): void {
    this.form.controls.amount.setValue(String(units));
    this.form.controls.amount.markAsTouched();
  }

  protected isPicked(units: number): boolean {
    return this.amountMicros() === BigInt(units) * MICROS_PER_UNIT;
  }

  protected submit(): void {
    if (this.saving()) return;
    const micros = this.amountMicros();
    if (this.form.invalid || micros === null) {
      this.form.markAllAsTouched();
      focusFirstError(this.host.nativeElement);
      return;
    }
    const topUp: TopUp = { amountMicros: micros.toString() };

    this.error.set(null);
    this.saving.set(true);
    this.dialogRef.disableClose = true;
    this.api
      .topUp(topUp, this.idempotencyKey)
      .pipe(
        finalize(() => {
          this.saving.set(false);
          this.dialogRef.disableClose = false;
        }),
      )
      .subscribe({
        next: (payment) => this.dialogRef.close(payment),
        error: (err: unknown) =>
          this.error.set(
            ApiError.status(err) === 409
              ? 'A payment from this dialog was already started with a different amount. ' +
                  'Close the dialog and check the payments before trying again.'
              : ApiError.message(err, 'The payment could not be started. Please try again.'),
          ),
      });
  }

  private format(micros: bigint): string {
    return formatMoney(micros, 'exact', { currency: this.currency });
  }
}
