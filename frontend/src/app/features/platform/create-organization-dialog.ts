import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, ElementRef, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTooltipModule } from '@angular/material/tooltip';
import { finalize } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { CreatedOrganization, PlatformApi, PricePlan } from './platform-api';
import { focusFirstError } from '../../shared/forms/focus-first-error';

/** The api's rule for a first owner's password (FirstOwnerDto). */
export const OWNER_MIN_PASSWORD_LENGTH = 12;

export interface CreateOrganizationResult {
  organization: CreatedOrganization;
  /** Go to the organization's page. */
  open: boolean;
}

/** A password an operator can hand over: 16 characters without look-alikes (0/O, 1/l/I). */
export function generatePassword(length = 16): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Creates an organization with its first owner (and its wallet), then says how the owner gets in:
 * the one-time setup link when the api returns one (`ownerSetup`, when no password was given), to copy and send, or the
 * password the operator chose.
 */
@Component({
  selector: 'sb-create-organization-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatTooltipModule,
  ],
  templateUrl: './create-organization-dialog.html',
  styleUrl: './create-organization-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateOrganizationDialog {
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly api = inject(PlatformApi);
  private readonly clipboard = inject(Clipboard);
  private readonly dialogRef =
    inject<MatDialogRef<CreateOrganizationDialog, CreateOrganizationResult>>(MatDialogRef);

  protected readonly minPasswordLength = OWNER_MIN_PASSWORD_LENGTH;
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(200)]],
    defaultCountry: ['US', [Validators.required, Validators.pattern(/^[A-Za-z]{2}$/)]],
    pricePlanId: [''],
    ownerName: ['', [Validators.required, Validators.maxLength(200)]],
    ownerEmail: ['', [Validators.required, Validators.email]],
    ownerPassword: ['', [Validators.minLength(OWNER_MIN_PASSWORD_LENGTH)]],
  });

  protected readonly plans = signal<PricePlan[]>([]);
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly passwordHidden = signal(true);
  protected readonly created = signal<CreatedOrganization | null>(null);
  protected readonly copied = signal<'link' | 'password' | null>(null);
  /** The password sent, to show once more on the result (when there is no setup link). */
  protected readonly ownerPassword = signal('');

  constructor() {
    this.api.pricePlans().subscribe({
      next: ({ items }) => this.plans.set(items),
      error: () => this.plans.set([]), // the default plan still applies
    });
  }

  protected generate(): void {
    this.form.controls.ownerPassword.setValue(generatePassword());
    this.form.controls.ownerPassword.markAsTouched();
    this.passwordHidden.set(false);
  }

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
      .createOrganization({
        name: value.name.trim(),
        defaultCountry: value.defaultCountry.toUpperCase(),
        pricePlanId: value.pricePlanId || undefined,
        owner: {
          name: value.ownerName.trim(),
          email: value.ownerEmail.trim(),
          password: value.ownerPassword || undefined,
        },
      })
      .pipe(
        finalize(() => {
          this.saving.set(false);
          // Once created, only Done or Open close it: the page must hear of the new organization.
          this.dialogRef.disableClose = this.created() !== null;
        }),
      )
      .subscribe({
        next: (organization) => {
          this.ownerPassword.set(value.ownerPassword);
          this.created.set(organization);
        },
        error: (err: unknown) => {
          const message = ApiError.message(err, 'The organization could not be created.');
          this.error.set(message);
          if (ApiError.status(err) === 409 && /email/i.test(message)) {
            this.form.controls.ownerEmail.setErrors({ taken: true });
            this.form.controls.ownerEmail.markAsTouched();
          }
        },
      });
  }

  protected copy(what: 'link' | 'password', text: string): void {
    if (this.clipboard.copy(text)) this.copied.set(what);
  }

  protected finish(open: boolean): void {
    const organization = this.created();
    if (organization) this.dialogRef.close({ organization, open });
    else this.dialogRef.close();
  }

  protected togglePasswordVisibility(): void {
    this.passwordHidden.update((hidden) => !hidden);
  }
}
