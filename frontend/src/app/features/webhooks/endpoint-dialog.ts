import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { finalize } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import {
  OUTBOUND_EVENT_DESCRIPTIONS,
  OUTBOUND_EVENT_TYPES,
  OutboundEventType,
  WebhookEndpoint,
  WebhookEndpointsApi,
} from './webhook-endpoints-api';

/** Registers an endpoint, or edits one (`data`); closes with the saved endpoint. */
@Component({
  selector: 'sb-endpoint-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatCheckboxModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
  ],
  templateUrl: './endpoint-dialog.html',
  styleUrl: './endpoint-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EndpointDialog {
  private readonly api = inject(WebhookEndpointsApi);
  private readonly dialogRef = inject<MatDialogRef<EndpointDialog, WebhookEndpoint>>(MatDialogRef);
  protected readonly editing = inject<WebhookEndpoint | null>(MAT_DIALOG_DATA, { optional: true });

  protected readonly eventTypes = OUTBOUND_EVENT_TYPES;
  protected readonly descriptions = OUTBOUND_EVENT_DESCRIPTIONS;

  protected readonly form = inject(NonNullableFormBuilder).group({
    url: [
      this.editing?.url ?? '',
      [Validators.required, Validators.maxLength(2000), Validators.pattern(/^https?:\/\/\S+$/i)],
    ],
    description: [this.editing?.description ?? '', Validators.maxLength(500)],
  });
  protected readonly selected = signal<ReadonlySet<OutboundEventType>>(
    new Set((this.editing?.events ?? ['call.completed']) as OutboundEventType[]),
  );
  protected readonly eventsTouched = signal(false);
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected toggle(type: OutboundEventType, checked: boolean): void {
    this.eventsTouched.set(true);
    this.selected.update((current) => {
      const next = new Set(current);
      if (checked) next.add(type);
      else next.delete(type);
      return next;
    });
  }

  protected submit(): void {
    if (this.saving()) return;
    this.eventsTouched.set(true);
    if (this.form.invalid || this.selected().size === 0) {
      this.form.markAllAsTouched();
      return;
    }
    const { url, description } = this.form.getRawValue();
    const input = {
      url: url.trim(),
      description: description.trim(),
      // In the documented order, whatever order they were ticked in.
      events: OUTBOUND_EVENT_TYPES.filter((type) => this.selected().has(type)),
    };
    this.error.set(null);
    this.saving.set(true);
    this.dialogRef.disableClose = true;
    const request = this.editing ? this.api.update(this.editing.id, input) : this.api.create(input);
    request
      .pipe(
        finalize(() => {
          this.saving.set(false);
          this.dialogRef.disableClose = false;
        }),
      )
      .subscribe({
        next: (endpoint) => this.dialogRef.close(endpoint),
        error: (err: unknown) =>
          this.error.set(ApiError.message(err, 'Could not save the endpoint. Please try again.')),
      });
  }
}
