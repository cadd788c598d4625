import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  signal,
} from '@angular/core';

import { AuthService } from './auth-service';

/**
 * "Can't reach Switchboard, retrying": shown over the page while the api cannot be reached at
 * start-up. The address stays as it is, and the page opens there once the api answers. Plain HTML
 * (no Material): it is part of the initial bundle.
 */
@Component({
  selector: 'sb-unreachable-screen',
  template: `
    @if (auth.unreachable(); as state) {
      <div class="screen" role="alert" aria-live="assertive" data-testid="unreachable-screen">
        <div class="card">
          <div class="spinner" aria-hidden="true"></div>
          <h1>Can’t reach Switchboard, retrying</h1>
          <p data-testid="unreachable-reason">
            {{
              state.status
                ? 'The server answered ' + state.status + '.'
                : 'No answer from the server (network error).'
            }}
          </p>
          <p class="muted" data-testid="unreachable-countdown">
            Attempt {{ state.attempt }} failed · trying again in {{ secondsLeft() }} s
          </p>
          <button type="button" data-testid="unreachable-retry" (click)="auth.retryNow()">
            Retry now
          </button>
        </div>
      </div>
    }
  `,
  styles: `
    .screen {
      position: fixed;
      inset: 0;
      z-index: 1000;
      display: grid;
      place-items: center;
      padding: 24px;
      background: #f7f8fc;
      font-family: Roboto, system-ui, sans-serif;
      color: #1b1b21;
    }
    .card {
      max-width: 420px;
      text-align: center;
    }
    h1 {
      margin: 16px 0 8px;
      font-size: 22px;
      font-weight: 500;
    }
    p {
      margin: 4px 0;
    }
    .muted {
      color: #5d5e66;
      font-variant-numeric: tabular-nums;
    }
    button {
      margin-top: 20px;
      padding: 10px 24px;
      border: none;
      border-radius: 20px;
      background: #3f51b5;
      color: #fff;
      font: inherit;
      font-weight: 500;
      cursor: pointer;
    }
    button:focus-visible {
      outline: 3px solid #1b1b21;
      outline-offset: 2px;
    }
    .spinner {
      width: 36px;
      height: 36px;
      margin: 0 auto;
      border: 4px solid #dfe0ff;
      border-top-color: #3f51b5;
      border-radius: 50%;
      animation: spin 1s linear infinite;
    }
    @keyframes spin {
      to {
        transform: rotate(360deg);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .spinner {
        animation: none;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UnreachableScreen {
  protected readonly auth = inject(AuthService);
  private readonly now = signal(Date.now());
  protected readonly secondsLeft = computed(() => {
    const state = this.auth.unreachable();
    return state ? Math.max(0, Math.ceil((state.retryAt - this.now()) / 1000)) : 0;
  });

  constructor() {
    const ticker = setInterval(() => this.now.set(Date.now()), 500);
    inject(DestroyRef).onDestroy(() => clearInterval(ticker));
  }
}
