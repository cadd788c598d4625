import { ChangeDetectionStrategy, Component, ElementRef, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatChipInputEvent, MatChipsModule } from '@angular/material/chips';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { finalize } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { Contact, ContactInput } from '../../core/contacts/contact';
import { ContactsApi } from '../../core/contacts/contacts-api';
import { focusFirstError } from '../../shared/forms/focus-first-error';
import { phoneNumberValidator } from '../../shared/phone/phone-number-validator';

/** The API's limits (`CONTACT_LIMITS` in the backend's contacts.dto.ts). */
export const CONTACT_LIMITS = { name: 200, email: 320, company: 200, notes: 5000 } as const;

export interface ContactFormData {
  /** The contact to edit; absent to create one. */
  contact?: Contact;
}

/** What the dialog closes with: the saved contact, or the existing one the user chose to open. */
export type ContactFormResult = { saved: Contact } | { openExisting: string };

const FIELDS = ['name', 'phone', 'email', 'company', 'notes'] as const;
type Field = (typeof FIELDS)[number];

/** Reads `"+1415… already belongs to contact \"Asha Rao\" (<uuid>)"` from a 409. */
export function existingContactFrom(message: string): { id: string; name: string } | null {
  const match = /contact "(.+)" \(([0-9a-f-]{36})\)/i.exec(message);
  return match ? { name: match[1], id: match[2] } : null;
}

/** Creates or edits a contact; server errors are shown on the field they name. */
@Component({
  selector: 'sb-contact-form-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatChipsModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
  ],
  template: `
    <h2 mat-dialog-title>{{ editing ? 'Edit contact' : 'New contact' }}</h2>
    <form [formGroup]="form" (ngSubmit)="save()" novalidate>
      <mat-dialog-content class="content">
        <mat-form-field appearance="outline">
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" data-testid="contact-form-name" cdkFocusInitial />
          @if (form.controls.name.hasError('required')) {
            <mat-error>Enter a name.</mat-error>
          } @else if (form.controls.name.hasError('maxlength')) {
            <mat-error data-testid="contact-form-name-error"
              >A name can be at most {{ limits.name }} characters; this one has
              {{ form.controls.name.value.length }}.</mat-error
            >
          } @else if (form.controls.name.hasError('server')) {
            <mat-error>{{ form.controls.name.getError('server') }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Phone</mat-label>
          <input
            matInput
            formControlName="phone"
            inputmode="tel"
            placeholder="+1 415 555 0100"
            data-testid="contact-form-phone"
          />
          <mat-hint>Any spelling; stored in international (E.164) form.</mat-hint>
          @if (form.controls.phone.hasError('required')) {
            <mat-error>Enter a phone number.</mat-error>
          } @else if (form.controls.phone.hasError('phone')) {
            <mat-error>This does not look like a phone number.</mat-error>
          } @else if (form.controls.phone.hasError('server')) {
            <mat-error data-testid="contact-form-phone-error">{{
              form.controls.phone.getError('server')
            }}</mat-error>
          }
        </mat-form-field>
        @if (duplicate(); as existing) {
          <div class="duplicate" role="alert" data-testid="contact-form-duplicate">
            <mat-icon>person_search</mat-icon>
            <span
              >This number already belongs to <strong>{{ existing.name }}</strong>.</span
            >
            <button
              mat-button
              type="button"
              data-testid="contact-form-open-existing"
              (click)="openExisting(existing.id)"
            >
              Open {{ existing.name }}
            </button>
          </div>
        }
        <div class="row">
          <mat-form-field appearance="outline">
            <mat-label>Email</mat-label>
            <input matInput type="email" formControlName="email" data-testid="contact-form-email" />
            @if (form.controls.email.hasError('email')) {
              <mat-error>Enter a valid email address.</mat-error>
            } @else if (form.controls.email.hasError('maxlength')) {
              <mat-error>At most {{ limits.email }} characters.</mat-error>
            } @else if (form.controls.email.hasError('server')) {
              <mat-error>{{ form.controls.email.getError('server') }}</mat-error>
            }
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Company</mat-label>
            <input matInput formControlName="company" data-testid="contact-form-company" />
            @if (form.controls.company.hasError('maxlength')) {
              <mat-error>At most {{ limits.company }} characters.</mat-error>
            }
          </mat-form-field>
        </div>
        <mat-form-field appearance="outline">
          <mat-label>Tags</mat-label>
          <mat-chip-grid #tagGrid aria-label="Tags">
            @for (tag of tags(); track tag) {
              <mat-chip-row (removed)="removeTag(tag)">
                {{ tag }}
                <button matChipRemove [attr.aria-label]="'Remove ' + tag">
                  <mat-icon>cancel</mat-icon>
                </button>
              </mat-chip-row>
            }
            <input
              placeholder="Add a tag…"
              [matChipInputFor]="tagGrid"
              (matChipInputTokenEnd)="addTag($event)"
              data-testid="contact-form-tags"
            />
          </mat-chip-grid>
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Notes</mat-label>
          <textarea
            matInput
            rows="3"
            formControlName="notes"
            data-testid="contact-form-notes"
          ></textarea>
          @if (form.controls.notes.hasError('maxlength')) {
            <mat-error
              >Notes can be at most {{ limits.notes }} characters; these have
              {{ form.controls.notes.value.length }}.</mat-error
            >
          }
        </mat-form-field>
        @if (error(); as message) {
          <div class="error" role="alert" data-testid="contact-form-error">
            <mat-icon>error</mat-icon>{{ message }}
          </div>
        }
      </mat-dialog-content>
      @if (saving()) {
        <mat-progress-bar mode="indeterminate" />
      }
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()" data-testid="contact-form-save">
          {{ editing ? 'Save' : 'Add contact' }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .content {
      display: flex;
      flex-direction: column;
      gap: 4px;
      min-width: min(520px, 80vw);
    }
    .row {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 12px;
    }
    .duplicate,
    .error {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 4px 0 12px;
      padding: 8px 8px 8px 12px;
      border-radius: 12px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .duplicate span {
      flex: 1;
    }
    .duplicate button {
      color: inherit;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContactFormDialog {
  private readonly api = inject(ContactsApi);
  private readonly dialogRef =
    inject<MatDialogRef<ContactFormDialog, ContactFormResult>>(MatDialogRef);
  private readonly data = inject<ContactFormData | null>(MAT_DIALOG_DATA, { optional: true });

  protected readonly editing = !!this.data?.contact;
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: [
      this.data?.contact?.name ?? '',
      [Validators.required, Validators.maxLength(CONTACT_LIMITS.name)],
    ],
    phone: [this.data?.contact?.phone ?? '', [Validators.required, phoneNumberValidator]],
    email: [
      this.data?.contact?.email ?? '',
      [Validators.email, Validators.maxLength(CONTACT_LIMITS.email)],
    ],
    company: [this.data?.contact?.company ?? '', Validators.maxLength(CONTACT_LIMITS.company)],
    notes: [this.data?.contact?.notes ?? '', Validators.maxLength(CONTACT_LIMITS.notes)],
  });
  protected readonly limits = CONTACT_LIMITS;
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  protected readonly tags = signal<readonly string[]>(this.data?.contact?.tags ?? []);
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The contact that already has this number (409). */
  protected readonly duplicate = signal<{ id: string; name: string } | null>(null);

  protected addTag(event: MatChipInputEvent): void {
    const tag = event.value.trim();
    if (tag && !this.tags().includes(tag)) this.tags.update((tags) => [...tags, tag]);
    event.chipInput.clear();
  }

  protected removeTag(tag: string): void {
    this.tags.update((tags) => tags.filter((t) => t !== tag));
  }

  protected openExisting(id: string): void {
    this.dialogRef.close({ openExisting: id });
  }

  protected save(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid) {
      focusFirstError(this.host.nativeElement);
      return;
    }
    if (this.saving()) return;
    const value = this.form.getRawValue();
    const input: ContactInput = {
      name: value.name.trim(),
      phone: value.phone.trim(),
      email: value.email.trim() || null,
      company: value.company.trim() || null,
      notes: value.notes.trim() || null,
      tags: [...this.tags()],
    };
    if (!this.editing) {
      // A new contact leaves unset fields out rather than sending nulls.
      for (const key of ['email', 'company', 'notes'] as const) {
        if (input[key] === null) delete input[key];
      }
    }
    this.saving.set(true);
    this.error.set(null);
    this.duplicate.set(null);
    const request = this.data?.contact
      ? this.api.update(this.data.contact.id, input)
      : this.api.create(input);
    request.pipe(finalize(() => this.saving.set(false))).subscribe({
      next: (saved) => this.dialogRef.close({ saved }),
      error: (err: unknown) => this.showError(err),
    });
  }

  private showError(err: unknown): void {
    const message = ApiError.message(err, 'Could not save the contact.');
    const status = ApiError.status(err);
    if (status === 409) {
      const existing = existingContactFrom(message);
      this.duplicate.set(existing);
      // The box below the field names the contact and opens it; the field just says why.
      this.setServerError('phone', existing ? 'This number is already taken.' : message);
      return;
    }
    if (status === 400) {
      const field = FIELDS.find((f) => new RegExp(`\\b${f}\\b`, 'i').test(message));
      if (field) {
        this.setServerError(field, message);
        return;
      }
    }
    this.error.set(message);
  }

  private setServerError(field: Field, message: string): void {
    const control = this.form.controls[field];
    control.setErrors({ ...(control.errors ?? {}), server: message });
    control.markAsTouched();
    focusFirstError(this.host.nativeElement);
  }
}
