import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';

export interface SuspendDialogData {
  name: string;
}

/** Asks why before suspending an organization; closes with the reason, or nothing when cancelled. */
@Component({
  selector: 'sb-suspend-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatButtonModule,
    MatIconModule,
  ],
  template: `
    <h2 mat-dialog-title class="title">
      <mat-icon class="danger">block</mat-icon>
      Suspend {{ data.name }}?
    </h2>
    <form (submit)="$event.preventDefault(); confirm()" novalidate data-testid="suspend-form">
      <mat-dialog-content class="content">
        <p class="lead">
          Its users cannot sign in and are signed out at once, and its calls and campaigns are
          refused. Calls already live finish and are charged. You can reinstate it at any time.
        </p>
        <mat-form-field appearance="outline">
          <mat-label>Reason</mat-label>
          <input
            matInput
            [formControl]="reason"
            maxlength="300"
            placeholder="e.g. Unpaid invoice #42"
            data-testid="suspend-reason"
          />
          <mat-hint>Kept with the organization, for whoever reinstates it</mat-hint>
          @if (reason.invalid) {
            <mat-error data-testid="suspend-reason-error"
              >Say why (at least 3 characters)</mat-error
            >
          }
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions>
        <button mat-button type="button" mat-dialog-close data-testid="suspend-cancel">
          Cancel
        </button>
        <button mat-flat-button class="danger" type="submit" data-testid="suspend-confirm">
          Suspend
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styleUrl: './suspend-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SuspendDialog {
  protected readonly data = inject<SuspendDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<SuspendDialog, string>>(MatDialogRef);

  protected readonly reason = new FormControl('', {
    nonNullable: true,
    validators: [Validators.required, Validators.minLength(3), Validators.maxLength(300)],
  });

  protected confirm(): void {
    const reason = this.reason.value.trim();
    if (reason.length < 3) {
      this.reason.setErrors({ minlength: true });
      this.reason.markAsTouched();
      return;
    }
    this.dialogRef.close(reason);
  }
}
