import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

export interface KeypadKey {
  key: string;
  letters: string;
  /** Used in test ids (`keypad-star`, `keypad-hash`). */
  id: string;
}

export const KEYPAD_KEYS: readonly KeypadKey[] = [
  { key: '1', letters: '', id: '1' },
  { key: '2', letters: 'ABC', id: '2' },
  { key: '3', letters: 'DEF', id: '3' },
  { key: '4', letters: 'GHI', id: '4' },
  { key: '5', letters: 'JKL', id: '5' },
  { key: '6', letters: 'MNO', id: '6' },
  { key: '7', letters: 'PQRS', id: '7' },
  { key: '8', letters: 'TUV', id: '8' },
  { key: '9', letters: 'WXYZ', id: '9' },
  { key: '*', letters: '', id: 'star' },
  { key: '0', letters: '+', id: '0' },
  { key: '#', letters: '', id: 'hash' },
];

/** How long 0 is held to type `+`, as on a phone. */
export const PLUS_HOLD_MS = 600;

/**
 * The phone keypad: 0-9, * and #, with their letters. Emits the key pressed; holding 0 emits `+`
 * (when `plusOnHold`: typing a number, not sending tones).
 */
@Component({
  selector: 'sb-dialer-keypad',
  template: `
    @for (k of keys; track k.key) {
      <button
        type="button"
        class="key"
        [disabled]="disabled()"
        [attr.aria-label]="
          k.key === '0' && plusOnHold()
            ? '0, hold for +'
            : k.letters && k.key !== '0'
              ? k.key + ' ' + k.letters
              : k.key
        "
        [attr.data-testid]="'keypad-' + k.id"
        (pointerdown)="hold(k.key)"
        (pointerup)="release()"
        (pointerleave)="release()"
        (pointercancel)="release()"
        (contextmenu)="k.key === '0' && $event.preventDefault()"
        (click)="click(k.key)"
      >
        <span class="digit">{{ k.key }}</span>
        <span class="letters">{{ k.letters || '&nbsp;' }}</span>
      </button>
    }
  `,
  styles: `
    :host {
      display: grid;
      grid-template-columns: repeat(3, 1fr);
      gap: 10px;
      justify-items: center;
    }
    .key {
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      width: 68px;
      height: 68px;
      border: none;
      border-radius: 50%;
      background: var(--mat-sys-surface-container-high);
      color: var(--mat-sys-on-surface);
      cursor: pointer;
      font-family: inherit;
      transition:
        background 120ms,
        transform 80ms;
    }
    .key:hover:not(:disabled) {
      background: var(--mat-sys-surface-container-highest);
    }
    .key:active:not(:disabled) {
      transform: scale(0.94);
      background: color-mix(in srgb, var(--mat-sys-primary) 18%, transparent);
    }
    .key:focus-visible {
      outline: 2px solid var(--mat-sys-primary);
      outline-offset: 2px;
    }
    .key:disabled {
      cursor: default;
      opacity: 0.45;
    }
    .digit {
      font-size: 26px;
      line-height: 30px;
      font-weight: 400;
    }
    .letters {
      font-size: 10px;
      letter-spacing: 1.5px;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  host: { role: 'group', 'aria-label': 'Keypad' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DialerKeypad {
  readonly disabled = input(false);
  /** Holding 0 types `+` (off while the keypad sends tones: `+` is no tone). */
  readonly plusOnHold = input(true);
  readonly pressed = output<string>();

  protected readonly keys = KEYPAD_KEYS;
  private holdTimer: ReturnType<typeof setTimeout> | undefined;
  /** The hold already typed `+`: the click that ends it types nothing more. */
  private heldForPlus = false;

  protected hold(key: string): void {
    this.release();
    this.heldForPlus = false;
    if (key !== '0' || !this.plusOnHold() || this.disabled()) return;
    this.holdTimer = setTimeout(() => {
      this.heldForPlus = true;
      this.pressed.emit('+');
    }, PLUS_HOLD_MS);
  }

  protected release(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
  }

  protected click(key: string): void {
    this.release();
    if (this.heldForPlus) {
      this.heldForPlus = false;
      return;
    }
    this.pressed.emit(key);
  }
}
