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
import { finalize } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { API_KEY_ROLE_DESCRIPTIONS, ApiKeyRole, ApiKeysApi, CreatedApiKey } from './api-keys-api';
import { focusFirstError } from '../../shared/forms/focus-first-error';

/**
 * Creates an API key, then shows its secret once with a copy button. Closes with the created key
 * (without waiting for the secret to be copied: it is the owner's to keep).
 */
@Component({
  selector: 'sb-create-api-key-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
  ],
  templateUrl: './create-api-key-dialog.html',
  styleUrl: './create-api-key-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateApiKeyDialog {
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly api = inject(ApiKeysApi);
  private readonly clipboard = inject(Clipboard);
  private readonly dialogRef =
    inject<MatDialogRef<CreateApiKeyDialog, CreatedApiKey | undefined>>(MatDialogRef);

  protected readonly roles: ApiKeyRole[] = ['agent', 'admin'];
  protected readonly roleDescriptions = API_KEY_ROLE_DESCRIPTIONS;

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(100)]],
    role: ['agent' as ApiKeyRole, Validators.required],
  });

  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly created = signal<CreatedApiKey | null>(null);
  protected readonly copied = signal(false);

  protected submit(): void {
    if (this.saving() || this.created()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      focusFirstError(this.host.nativeElement);
      return;
    }
    const { name, role } = this.form.getRawValue();
    this.error.set(null);
    this.saving.set(true);
    this.dialogRef.disableClose = true;
    this.api
      .create(name.trim(), role)
      .pipe(finalize(() => this.saving.set(false)))
      .subscribe({
        next: (key) => this.created.set(key),
        error: (err: unknown) => {
          this.dialogRef.disableClose = false;
          this.error.set(ApiError.message(err, 'Could not create the key. Please try again.'));
        },
      });
  }

  protected copy(): void {
    const key = this.created();
    if (key && this.clipboard.copy(key.secret)) this.copied.set(true);
  }

  protected done(): void {
    this.dialogRef.close(this.created() ?? undefined);
  }
}
