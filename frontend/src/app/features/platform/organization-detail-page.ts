import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import {
  FormGroupDirective,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { filter, finalize } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { newIdempotencyKey } from '../../core/api/idempotency-key';
import { ConfirmDialog, ConfirmDialogData } from '../../shared/confirm-dialog/confirm-dialog';
import { IntlDatePipe } from '../../shared/format/intl-format';
import { LoadState } from '../../shared/load-state/load-state';
import { amountErrorText, amountValidator } from '../../shared/money/amount-validator';
import { currencySymbol, formatMoney, parseAmount } from '../../shared/money/money';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { Movement, PlatformApi, PlatformOrganization, PricePlan } from './platform-api';
import { SuspendDialog, SuspendDialogData } from './suspend-dialog';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An optional amount: empty is fine, anything typed must be a positive amount. */
function optionalAmount(control: Parameters<ReturnType<typeof amountValidator>>[0]) {
  return (control.value ?? '').trim() ? amountValidator()(control) : null;
}

/**
 * Platform → one organization: its wallet, price plan and state, and the operator's money tools:
 * a manual credit (a bank transfer received) and the refund of a call.
 */
@Component({
  selector: 'sb-organization-detail-page',
  imports: [
    RouterLink,
    ReactiveFormsModule,
    MatButtonModule,
    MatIconModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatProgressBarModule,
    LoadState,
    MoneyPipe,
    IntlDatePipe,
  ],
  templateUrl: './organization-detail-page.html',
  styleUrl: './organization-detail-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OrganizationDetailPage {
  private readonly api = inject(PlatformApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly id = inject(ActivatedRoute).snapshot.paramMap.get('id') ?? '';
  protected readonly amountErrorText = amountErrorText;

  protected readonly organization = signal<PlatformOrganization | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly plans = signal<PricePlan[]>([]);

  protected readonly currency = computed(() => this.organization()?.wallet.currency ?? 'USD');
  protected readonly symbol = computed(() => currencySymbol(this.currency()));
  protected readonly suspended = computed(() => this.organization()?.suspendedAt != null);

  // State.
  protected readonly changingState = signal(false);

  // Price plan.
  protected readonly plan = this.fb.control('');
  private readonly planValue = toSignal(this.plan.valueChanges, { initialValue: '' });
  protected readonly planChanged = computed(
    () => !!this.planValue() && this.planValue() !== this.organization()?.pricePlan.id,
  );
  protected readonly savingPlan = signal(false);
  protected readonly planError = signal<string | null>(null);

  // Credit.
  protected readonly creditForm = this.fb.group({
    amount: ['', amountValidator()],
    reason: ['', [Validators.required, Validators.minLength(3), Validators.maxLength(300)]],
  });
  private readonly creditAmountText = toSignal(this.creditForm.controls.amount.valueChanges, {
    initialValue: '',
  });
  protected readonly creditLabel = computed(() => {
    const { micros } = parseAmount(this.creditAmountText());
    return micros && micros > 0n
      ? formatMoney(micros, 'exact', { currency: this.currency() })
      : null;
  });
  protected readonly crediting = signal(false);
  protected readonly creditError = signal<string | null>(null);
  protected readonly lastCredit = signal<Movement | null>(null);
  private readonly creditDirective = viewChild('creditDirective', { read: FormGroupDirective });
  /**
   * The Idempotency-Key of the credit being made and the body it was sent with: the same credit
   * (a double click, a retry after a lost answer) goes with the same key and is made once; a
   * changed form is another credit with a new key. Forgotten once the credit is made.
   */
  private creditAttempt: { key: string; body: string } | null = null;

  // Refund.
  protected readonly refundForm = this.fb.group({
    callId: ['', [Validators.required, Validators.pattern(UUID)]],
    amount: ['', optionalAmount],
    reason: ['', [Validators.required, Validators.minLength(3), Validators.maxLength(300)]],
  });
  protected readonly refunding = signal(false);
  protected readonly refundError = signal<{ title: string; message: string } | null>(null);
  protected readonly lastRefund = signal<Movement | null>(null);
  private readonly refundDirective = viewChild('refundDirective', { read: FormGroupDirective });

  constructor() {
    this.load();
    this.api
      .pricePlans()
      .pipe(takeUntilDestroyed())
      .subscribe({ next: ({ items }) => this.plans.set(items), error: () => this.plans.set([]) });
  }

  protected load(): void {
    this.loading.set(true);
    this.error.set(null);
    this.api
      .organization(this.id)
      .pipe(
        finalize(() => this.loading.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (org) => this.show(org),
        error: (err: unknown) =>
          this.error.set(ApiError.message(err, 'Could not load the organization.')),
      });
  }

  protected suspend(): void {
    const org = this.organization();
    if (!org) return;
    this.dialog
      .open<SuspendDialog, SuspendDialogData, string>(SuspendDialog, {
        data: { name: org.name },
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .pipe(filter((reason): reason is string => !!reason))
      .subscribe((reason) =>
        this.changeState({ suspended: true, suspensionReason: reason }, `${org.name} is suspended`),
      );
  }

  protected reinstate(): void {
    const org = this.organization();
    if (!org) return;
    const data: ConfirmDialogData = {
      title: `Reinstate ${org.name}?`,
      message:
        'Its users can sign in again and its calls and campaigns are placed again, paid from its wallet.',
      confirmLabel: 'Reinstate',
      icon: 'settings_backup_restore',
    };
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data })
      .afterClosed()
      .pipe(filter((confirmed) => confirmed === true))
      .subscribe(() => this.changeState({ suspended: false }, `${org.name} is active again`));
  }

  protected assignPlan(): void {
    const plan = this.plans().find((p) => p.id === this.plan.value);
    if (!plan || this.savingPlan()) return;
    this.savingPlan.set(true);
    this.planError.set(null);
    this.api
      .updateOrganization(this.id, { pricePlanId: plan.isDefault ? null : plan.id })
      .pipe(finalize(() => this.savingPlan.set(false)))
      .subscribe({
        next: (org) => {
          this.show(org);
          this.notify(`${org.name} now pays ${org.pricePlan.name} prices`);
        },
        error: (err: unknown) =>
          this.planError.set(ApiError.message(err, 'The price plan could not be changed.')),
      });
  }

  protected credit(): void {
    if (this.crediting()) return;
    const { micros } = parseAmount(this.creditForm.controls.amount.value);
    if (this.creditForm.invalid || micros === null) {
      this.creditForm.markAllAsTouched();
      return;
    }
    const body = {
      amountMicros: micros.toString(),
      reason: this.creditForm.controls.reason.value.trim(),
    };
    const signature = JSON.stringify(body);
    if (this.creditAttempt?.body !== signature) {
      this.creditAttempt = { key: newIdempotencyKey(), body: signature };
    }
    this.crediting.set(true);
    this.creditError.set(null);
    this.api
      .credit(this.id, body, this.creditAttempt.key)
      .pipe(finalize(() => this.crediting.set(false)))
      .subscribe({
        next: (movement) => {
          this.creditAttempt = null;
          this.lastCredit.set(movement);
          this.creditDirective()?.resetForm();
          this.notify(
            `Credited ${formatMoney(movement.transaction.balanceChangeMicros, 'exact', {
              currency: this.currency(),
            })}`,
          );
          this.load();
        },
        error: (err: unknown) =>
          this.creditError.set(
            ApiError.status(err) === 409
              ? `${ApiError.message(err)} Check the wallet before crediting again.`
              : ApiError.message(err, 'The credit was not made. Please try again.'),
          ),
      });
  }

  protected refund(): void {
    if (this.refunding()) return;
    if (this.refundForm.invalid) {
      this.refundForm.markAllAsTouched();
      return;
    }
    const value = this.refundForm.getRawValue();
    const amount = value.amount.trim() ? parseAmount(value.amount).micros : null;
    this.refunding.set(true);
    this.refundError.set(null);
    this.api
      .refund(value.callId.trim(), {
        organizationId: this.id,
        reason: value.reason.trim(),
        amountMicros: amount !== null ? amount.toString() : undefined,
      })
      .pipe(finalize(() => this.refunding.set(false)))
      .subscribe({
        next: (movement) => {
          this.lastRefund.set(movement);
          this.refundDirective()?.resetForm();
          this.notify(
            `Refunded ${formatMoney(movement.transaction.balanceChangeMicros, 'exact', {
              currency: this.currency(),
            })}`,
          );
          this.load();
        },
        error: (err: unknown) => this.refundError.set(this.refundProblem(err)),
      });
  }

  /** The server's words, with a title saying what they mean and amounts in money. */
  private refundProblem(err: unknown): { title: string; message: string } {
    const message = ApiError.message(err, 'The refund was not made. Please try again.');
    const charged = /more than the call was charged \((\d+)\)/.exec(message)?.[1];
    switch (ApiError.status(err)) {
      case 400:
        return charged
          ? {
              title: `At most ${formatMoney(charged, 'exact', { currency: this.currency() })}`,
              message: `${message}. A refund cannot be more than the call was charged.`,
            }
          : { title: 'Check the refund', message };
      case 404:
        return { title: 'No such call here', message };
      case 409:
        return { title: 'Not refunded', message };
      default:
        return { title: 'The refund failed', message };
    }
  }

  private changeState(body: { suspended: boolean; suspensionReason?: string }, done: string): void {
    this.changingState.set(true);
    this.api
      .updateOrganization(this.id, body)
      .pipe(finalize(() => this.changingState.set(false)))
      .subscribe({
        next: (org) => {
          this.show(org);
          this.notify(done);
        },
        error: (err: unknown) =>
          this.notify(ApiError.message(err, 'The organization could not be changed.'), true),
      });
  }

  private show(org: PlatformOrganization): void {
    this.organization.set(org);
    this.plan.setValue(org.pricePlan.id);
  }

  private notify(message: string, isError = false): void {
    this.snackBar.open(message, 'Dismiss', {
      duration: isError ? 8000 : 4000,
      panelClass: isError ? 'sb-snack-error' : undefined,
    });
  }
}
