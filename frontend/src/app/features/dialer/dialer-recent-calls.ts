import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTooltipModule } from '@angular/material/tooltip';

import { CallView } from '../../core/calls/call';
import { CallStatusChip } from '../../shared/call-status-chip/call-status-chip';
import { DurationPipe } from '../../shared/duration/duration-pipe';
import { PhonePipe } from '../../shared/phone/phone-pipe';
import { RelativeTimePipe } from '../../shared/relative-time/relative-time-pipe';

/** The agent's last calls: a row puts the number in the dialer, the icon redials it. */
@Component({
  selector: 'sb-dialer-recent-calls',
  imports: [
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatTooltipModule,
    CallStatusChip,
    DurationPipe,
    PhonePipe,
    RelativeTimePipe,
  ],
  template: `
    <h2 class="title"><mat-icon>history</mat-icon>Your recent calls</h2>
    @if (loading()) {
      <mat-progress-bar mode="indeterminate" />
    } @else if (error(); as message) {
      <p class="muted">{{ message }}</p>
    } @else if (calls().length === 0) {
      <p class="muted" data-testid="dialer-recent-empty">
        No calls yet. Your last ten calls show up here.
      </p>
    } @else {
      <ul data-testid="dialer-recent">
        @for (c of calls(); track c.id) {
          <li data-testid="dialer-recent-call" [attr.data-call-id]="c.id">
            <button
              type="button"
              class="main"
              [disabled]="disabled()"
              (click)="use.emit(c)"
              [attr.aria-label]="'Use ' + c.to"
            >
              <span class="name">{{ c.contact?.name || (c.to | phone) }}</span>
              <span class="meta">
                <sb-call-status-chip [status]="c.status" />
                <span>{{ c.createdAt | relativeTime }}</span>
                @if (c.durationSeconds) {
                  <span>· {{ c.durationSeconds | duration }}</span>
                }
              </span>
            </button>
            <button
              mat-icon-button
              matTooltip="Redial"
              [attr.aria-label]="'Redial ' + c.to"
              [disabled]="disabled()"
              (click)="redial.emit(c)"
              data-testid="dialer-redial"
            >
              <mat-icon>phone_forwarded</mat-icon>
            </button>
          </li>
        }
      </ul>
    }
  `,
  styles: `
    .title {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 0 0 12px;
      font: var(--mat-sys-title-medium);
    }
    .title mat-icon {
      color: var(--mat-sys-primary);
    }
    .muted {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li {
      display: flex;
      align-items: center;
      gap: 8px;
    }
    li + li {
      border-top: 1px solid var(--mat-sys-outline-variant);
    }
    .main {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      gap: 4px;
      flex: 1 1 auto;
      min-width: 0;
      padding: 10px 4px;
      border: none;
      background: none;
      cursor: pointer;
      font: inherit;
      color: inherit;
      text-align: left;
    }
    .main:disabled {
      cursor: default;
    }
    .name {
      font: var(--mat-sys-title-small);
      color: var(--mat-sys-on-surface);
    }
    .meta {
      display: flex;
      align-items: center;
      gap: 6px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DialerRecentCalls {
  readonly calls = input.required<readonly CallView[]>();
  readonly loading = input(false);
  readonly error = input<string | null>(null);
  readonly disabled = input(false);
  readonly use = output<CallView>();
  readonly redial = output<CallView>();
}
