import { TestBed } from '@angular/core/testing';

import { DialerKeypad, PLUS_HOLD_MS } from './dialer-keypad';

describe('DialerKeypad', () => {
  function render(plusOnHold = true) {
    const fixture = TestBed.createComponent(DialerKeypad);
    fixture.componentRef.setInput('plusOnHold', plusOnHold);
    fixture.detectChanges();
    const pressed: string[] = [];
    fixture.componentInstance.pressed.subscribe((key) => pressed.push(key));
    const key = (id: string) =>
      (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>(
        `[data-testid="keypad-${id}"]`,
      )!;
    const tap = (id: string, holdMs = 0) => {
      key(id).dispatchEvent(new Event('pointerdown'));
      vi.advanceTimersByTime(holdMs);
      key(id).dispatchEvent(new Event('pointerup'));
      key(id).click();
    };
    return { pressed, key, tap };
  }

  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('types the key tapped, and + when 0 is held', () => {
    const { pressed, key, tap } = render();
    tap('4');
    tap('0');
    tap('0', PLUS_HOLD_MS);
    tap('star');
    expect(pressed).toEqual(['4', '0', '+', '*']);
    expect(key('0').getAttribute('aria-label')).toBe('0, hold for +');
  });

  it('sends no + while it sends tones', () => {
    const { pressed, tap } = render(false);
    tap('0', PLUS_HOLD_MS * 2);
    expect(pressed).toEqual(['0']);
  });
});
