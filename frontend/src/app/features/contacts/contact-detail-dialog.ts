import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';

import { ApiError } from '../../core/api/api-error';
import { CALL_DISPOSITION_LABELS, CallView } from '../../core/calls/call';
import { CallsApi } from '../../core/calls/calls-api';
import { Contact } from '../../core/contacts/contact';
import { ContactsApi } from '../../core/contacts/contacts-api';
import { CallStatusChip } from '../../shared/call-status-chip/call-status-chip';
import { DurationPipe } from '../../shared/duration/duration-pipe';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { PhonePipe } from '../../shared/phone/phone-pipe';
import { RelativeTimePipe } from '../../shared/relative-time/relative-time-pipe';
import { IntlDatePipe } from '../../shared/format/intl-format';

export interface ContactDetailData {
  id: string;
}

/** What the user chose to do next from the detail dialog. */
export type ContactDetailResult = 'edit' | 'call';

/** How many of the contact's calls the dialog shows. */
export const CONTACT_RECENT_CALLS = 20;

/**
 * One contact with its recent calls (each a link into the call history, with the call's summary
 * when an AI agent or provider gave one), read from the calls list: agents see their own calls
 * with the contact, admins the organization's.
 */
@Component({
  selector: 'sb-contact-detail-dialog',
  imports: [
    IntlDatePipe,
    RouterLink,
    MatDialogModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    CallStatusChip,
    DurationPipe,
    MoneyPipe,
    PhonePipe,
    RelativeTimePipe,
  ],
  template: `
    @let c = contact();
    <header class="head">
      <span class="avatar" aria-hidden="true">{{ c?.name?.charAt(0) ?? '' }}</span>
      <div class="head-text">
        <h2 mat-dialog-title class="title" data-testid="contact-detail-name">
          {{ c?.name ?? 'Contact' }}
        </h2>
        @if (c) {
          <span class="muted">{{ c.phone | phone }}{{ c.country ? ' · ' + c.country : '' }}</span>
        }
      </div>
      <button mat-icon-button mat-dialog-close aria-label="Close">
        <mat-icon>close</mat-icon>
      </button>
    </header>
    @if (loading()) {
      <mat-progress-bar mode="indeterminate" />
    }
    <mat-dialog-content class="content" data-testid="contact-detail">
      @if (error(); as message) {
        <p class="error" role="alert">{{ message }}</p>
      }
      @if (c) {
        <dl class="facts">
          <dt>Company</dt>
          <dd>{{ c.company || '—' }}</dd>
          <dt>Email</dt>
          <dd>{{ c.email || '—' }}</dd>
          <dt>Tags</dt>
          <dd>
            @for (tag of c.tags; track tag) {
              <span class="tag">{{ tag }}</span>
            } @empty {
              —
            }
          </dd>
          <dt>Last called</dt>
          <dd>{{ c.lastCalledAt | relativeTime }}</dd>
          @if (c.notes) {
            <dt>Notes</dt>
            <dd class="notes">{{ c.notes }}</dd>
          }
        </dl>
        <h3 class="section-title">Recent calls</h3>
        @let recent = calls();
        @if (callsError(); as message) {
          <p class="error" role="alert" data-testid="contact-detail-calls-error">{{ message }}</p>
        } @else if (recent === null) {
          <p class="muted" aria-busy="true" data-testid="contact-detail-calls-loading">
            Loading calls…
          </p>
        } @else if (recent.length) {
          <ul class="calls" data-testid="contact-detail-calls">
            @for (call of recent; track call.id) {
              <li>
                <a
                  class="call"
                  [routerLink]="['/history']"
                  [queryParams]="{ call: call.id }"
                  mat-dialog-close
                  data-testid="contact-detail-call"
                >
                  <sb-call-status-chip [status]="call.status" [pulse]="false" />
                  <span class="when">{{ call.createdAt | date: 'MMM d, h:mm a' }}</span>
                  <span class="muted">{{ call.durationSeconds | duration }}</span>
                  <span class="muted">{{ call.costMicros | money: 'exact' }}</span>
                  @if (call.disposition) {
                    <span class="tag">{{ dispositionLabels[call.disposition] }}</span>
                  }
                  <mat-icon class="go">chevron_right</mat-icon>
                  @if (call.summary) {
                    <span class="summary" data-testid="contact-detail-call-summary">{{
                      call.summary
                    }}</span>
                  }
                </a>
              </li>
            }
          </ul>
        } @else {
          <p class="muted" data-testid="contact-detail-calls-empty">
            No calls with {{ c.name }} yet.
          </p>
        }
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button
        mat-button
        [mat-dialog-close]="'edit'"
        [disabled]="!c"
        data-testid="contact-detail-edit"
      >
        <mat-icon>edit</mat-icon>Edit
      </button>
      <button
        mat-flat-button
        [mat-dialog-close]="'call'"
        [disabled]="!c"
        data-testid="contact-detail-call-button"
      >
        <mat-icon>call</mat-icon>Call
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .head {
      display: flex;
      align-items: center;
      gap: 14px;
      padding: 20px 16px 8px 24px;
    }
    .head-text {
      flex: 1;
      display: flex;
      flex-direction: column;
    }
    .title {
      margin: 0;
      padding: 0;
    }
    .title::before {
      display: none;
    }
    .avatar {
      display: grid;
      place-items: center;
      width: 48px;
      height: 48px;
      border-radius: 50%;
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
      font: var(--mat-sys-title-large);
    }
    .content {
      min-width: min(560px, 85vw);
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .facts {
      display: grid;
      grid-template-columns: 120px 1fr;
      gap: 8px 16px;
      margin: 8px 0 16px;
    }
    dt {
      color: var(--mat-sys-on-surface-variant);
    }
    dd {
      margin: 0;
      color: var(--mat-sys-on-surface);
    }
    .notes {
      white-space: pre-wrap;
    }
    .tag {
      display: inline-block;
      margin-right: 6px;
      padding: 1px 10px;
      border-radius: 10px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
      font: var(--mat-sys-label-medium);
    }
    .section-title {
      margin: 8px 0;
      font: var(--mat-sys-title-small);
    }
    .calls {
      list-style: none;
      margin: 0;
      padding: 0;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
    }
    .calls li + li {
      border-top: 1px solid var(--mat-sys-outline-variant);
    }
    .call {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 12px;
      padding: 10px 12px;
      color: inherit;
      text-decoration: none;
    }
    .call:hover {
      background: var(--mat-sys-surface-container-low);
    }
    .when {
      flex: 1;
    }
    .go {
      color: var(--mat-sys-on-surface-variant);
    }
    .summary {
      flex-basis: 100%;
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 2;
      overflow: hidden;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContactDetailDialog {
  private readonly data = inject<ContactDetailData>(MAT_DIALOG_DATA);
  protected readonly dialogRef =
    inject<MatDialogRef<ContactDetailDialog, ContactDetailResult>>(MatDialogRef);

  protected readonly dispositionLabels = CALL_DISPOSITION_LABELS;
  protected readonly contact = signal<Contact | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  /** The contact's most recent calls; null while they load. */
  protected readonly calls = signal<readonly CallView[] | null>(null);
  protected readonly callsError = signal<string | null>(null);

  constructor() {
    inject(ContactsApi)
      .get(this.data.id)
      .subscribe({
        next: (contact) => {
          this.contact.set(contact);
          this.loading.set(false);
        },
        error: (err: unknown) => {
          this.loading.set(false);
          this.error.set(
            ApiError.status(err) === 404
              ? 'This contact no longer exists.'
              : ApiError.message(err, 'Could not load the contact.'),
          );
        },
      });
    inject(CallsApi)
      .list({ contactId: this.data.id }, { limit: CONTACT_RECENT_CALLS })
      .subscribe({
        next: (page) => this.calls.set(page.items),
        error: (err: unknown) =>
          this.callsError.set(ApiError.message(err, 'Could not load the calls with this contact.')),
      });
  }
}
