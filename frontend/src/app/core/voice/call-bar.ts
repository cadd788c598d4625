import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';

import { DurationPipe } from '../../shared/duration/duration-pipe';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { PhonePipe } from '../../shared/phone/phone-pipe';
import { WalletStore } from '../wallet/wallet-store';
import { VoiceSession } from './voice-session';

const DTMF_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/**
 * The call bar: on every page while the agent's call is live (and once it ended, until dismissed),
 * with who, status, timer, running cost, call-quality badge, mute, keypad, hang-up and a link to
 * the dialer. It reads and drives the app's one VoiceSession, so navigating never drops the call.
 */
@Component({
  selector: 'sb-call-bar',
  imports: [
    RouterLink,
    MatButtonModule,
    MatIconModule,
    MatMenuModule,
    MatTooltipModule,
    DurationPipe,
    MoneyPipe,
    PhonePipe,
  ],
  template: `
    @if (visible()) {
      @let w = wallet.wallet();
      <div
        class="bar"
        role="region"
        aria-label="Current call"
        data-testid="call-bar"
        [attr.data-status]="session.status()"
        [class.ended]="!session.busy()"
      >
        <div class="who">
          @if (session.busy()) {
            <span class="live-dot" aria-hidden="true"></span>
          } @else {
            <mat-icon aria-hidden="true">call_end</mat-icon>
          }
          <span class="who-text">
            <span class="who-name" data-testid="call-bar-who">{{
              session.counterpart().name || (session.counterpart().number | phone)
            }}</span>
            <span class="who-status" data-testid="call-bar-status">{{
              session.statusLabel()
            }}</span>
          </span>
        </div>

        <span class="timer" data-testid="call-bar-timer" aria-label="Talk time">{{
          session.elapsedSeconds() ?? 0 | duration
        }}</span>
        <span class="cost" data-testid="call-bar-cost" aria-label="Cost so far">
          @if (session.finalCostMicros(); as final) {
            {{ final | money: w?.currency : { maxFractionDigits: 6 } }}
          } @else {
            {{ session.runningCostMicros() ?? '0' | money: w?.currency : { maxFractionDigits: 6 } }}
          }
        </span>
        @if (session.qualityLabel(); as quality) {
          <span class="quality" role="status" data-testid="call-bar-quality" [matTooltip]="quality">
            <mat-icon aria-hidden="true">network_check</mat-icon>
            <span class="quality-text">{{ quality }}</span>
          </span>
        }

        <span class="spacer"></span>

        @if (session.busy()) {
          <button
            mat-icon-button
            type="button"
            [disabled]="!session.canControlAudio()"
            [attr.aria-pressed]="session.muted()"
            [attr.aria-label]="session.muted() ? 'Unmute' : 'Mute'"
            [matTooltip]="session.muted() ? 'Unmute' : 'Mute'"
            data-testid="call-bar-mute"
            (click)="session.toggleMute()"
          >
            <mat-icon>{{ session.muted() ? 'mic_off' : 'mic' }}</mat-icon>
          </button>
          <button
            mat-icon-button
            type="button"
            aria-label="Keypad"
            matTooltip="Keypad"
            data-testid="call-bar-keypad"
            [disabled]="!session.canControlAudio()"
            [matMenuTriggerFor]="keypad"
          >
            <mat-icon>dialpad</mat-icon>
          </button>
          <mat-menu #keypad="matMenu" class="sb-call-bar-keypad">
            <div class="keys" role="group" aria-label="Keypad" (click)="$event.stopPropagation()">
              @for (key of keys; track key) {
                <button
                  mat-stroked-button
                  type="button"
                  [attr.data-testid]="'call-bar-key-' + key"
                  (click)="session.sendDigits(key)"
                >
                  {{ key }}
                </button>
              }
            </div>
          </mat-menu>
          <a
            mat-icon-button
            routerLink="/dialer"
            aria-label="Open in the dialer"
            matTooltip="Open in the dialer"
            data-testid="call-bar-open"
          >
            <mat-icon>open_in_full</mat-icon>
          </a>
          <span
            class="hangup-wrap"
            [matTooltip]="session.hangupUnsupportedReason() ?? ''"
            [matTooltipDisabled]="!session.hangupUnsupportedReason()"
          >
            <button
              mat-flat-button
              type="button"
              class="hangup"
              data-testid="call-bar-hangup"
              [disabled]="session.hangingUp() || !!session.hangupUnsupportedReason()"
              [attr.aria-label]="
                session.hangupUnsupportedReason()
                  ? 'Hang up (unavailable: ' + session.hangupUnsupportedReason() + ')'
                  : null
              "
              (click)="session.hangUp()"
            >
              <mat-icon>call_end</mat-icon>
              {{ session.hangingUp() ? 'Ending…' : 'Hang up' }}
            </button>
          </span>
        } @else {
          <a mat-button routerLink="/dialer" data-testid="call-bar-wrap-up">Wrap up</a>
          <button
            mat-icon-button
            type="button"
            aria-label="Dismiss"
            data-testid="call-bar-dismiss"
            (click)="session.reset()"
          >
            <mat-icon>close</mat-icon>
          </button>
        }
        @if (session.hangupError(); as message) {
          <p class="error" role="alert" data-testid="call-bar-error">{{ message }}</p>
        }
      </div>
    }
  `,
  styles: `
    .bar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 12px;
      padding: 6px 12px 6px 16px;
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .bar.ended {
      background: var(--mat-sys-surface-container-high);
      color: var(--mat-sys-on-surface);
    }
    .who {
      display: flex;
      align-items: center;
      gap: 10px;
      min-width: 0;
    }
    .who-text {
      display: flex;
      flex-direction: column;
      min-width: 0;
    }
    .who-name {
      font: var(--mat-sys-title-small);
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .who-status {
      font: var(--mat-sys-body-small);
      opacity: 0.85;
    }
    .live-dot {
      width: 10px;
      height: 10px;
      border-radius: 50%;
      background: #1e8e3e;
      box-shadow: 0 0 0 4px color-mix(in srgb, #1e8e3e 25%, transparent);
      flex: none;
    }
    .timer,
    .cost {
      font: var(--mat-sys-title-medium);
      font-variant-numeric: tabular-nums;
    }
    .cost {
      font: var(--mat-sys-body-medium);
      font-variant-numeric: tabular-nums;
    }
    .quality {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      padding: 2px 8px;
      border-radius: 12px;
      background: #ffe7d6;
      color: #8a3700;
      font: var(--mat-sys-label-medium);
      mat-icon {
        width: 16px;
        height: 16px;
        font-size: 16px;
      }
    }
    .spacer {
      flex: 1 1 auto;
    }
    .hangup {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
    .error {
      flex-basis: 100%;
      margin: 0;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-error);
    }
    .keys {
      display: grid;
      grid-template-columns: repeat(3, 56px);
      gap: 6px;
      padding: 8px;
    }
    .keys button {
      min-width: 0;
    }
    @media (max-width: 599.98px) {
      .bar {
        padding: 6px 8px 6px 12px;
        gap: 2px 8px;
      }
      .who {
        flex: 1 1 auto;
      }
      .spacer {
        display: none;
      }
      .quality-text {
        display: none;
      }
      /* First row: who, timer and hang-up; the rest below. */
      .bar > * {
        order: 3;
      }
      .bar > .who {
        order: 0;
      }
      .bar > .timer {
        order: 1;
      }
      .bar > .hangup-wrap {
        order: 2;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CallBar {
  protected readonly session = inject(VoiceSession);
  protected readonly wallet = inject(WalletStore);
  protected readonly keys = DTMF_KEYS;

  /** While a call is live, and after it ended until dismissed or a new call starts. */
  protected readonly visible = computed(() => {
    const phase = this.session.phase();
    return this.session.busy() || (phase === 'ended' && !!this.session.call());
  });
}
