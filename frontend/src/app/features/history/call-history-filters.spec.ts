import { ComponentFixture, TestBed } from '@angular/core/testing';

import { CallFilters, NO_FILTERS } from './call-filters';
import { CallHistoryFilters, presetDays } from './call-history-filters';

describe('CallHistoryFilters', () => {
  let fixture: ComponentFixture<CallHistoryFilters>;
  let emitted: CallFilters[];
  const byTestId = (id: string) =>
    (fixture.nativeElement as HTMLElement).querySelector<HTMLElement>(`[data-testid="${id}"]`);

  beforeEach(async () => {
    fixture = TestBed.createComponent(CallHistoryFilters);
    fixture.componentRef.setInput('filters', NO_FILTERS);
    emitted = [];
    fixture.componentInstance.filtersChange.subscribe((filters) => emitted.push(filters));
    await fixture.whenStable();
  });

  /** Types a day into one of the range's inputs, as a person would (ISO reads in every locale). */
  async function typeDay(which: 'matStartDate' | 'matEndDate', day: string): Promise<void> {
    const input = (fixture.nativeElement as HTMLElement).querySelector<HTMLInputElement>(
      `input[${which}]`,
    )!;
    input.value = day;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
    await fixture.whenStable();
  }

  it('says a range that ends before it starts is wrong, next to the field, and does not apply it', async () => {
    await typeDay('matStartDate', '2026-12-05');
    await typeDay('matEndDate', '2026-12-01');

    expect(byTestId('history-filter-dates-error')?.textContent).toContain(
      'The start date is after the end date',
    );
    expect(emitted.filter((filters) => filters.to)).toEqual([]);

    await typeDay('matEndDate', '2026-12-07');
    expect(byTestId('history-filter-dates-error')).toBeNull();
    expect(emitted.at(-1)).toMatchObject({ from: '2026-12-05', to: '2026-12-07' });
  });

  it('applies a date preset as a range of the organization’s days', async () => {
    byTestId('history-preset-7d')!.click();
    await fixture.whenStable();
    expect(emitted.at(-1)).toMatchObject(presetDays('7d'));
  });

  it('sends names and words as typed, numbers as digits', async () => {
    vi.useFakeTimers();
    try {
      const input = byTestId('history-filter-search') as HTMLInputElement;
      input.value = 'Asha';
      input.dispatchEvent(new Event('input'));
      vi.advanceTimersByTime(400);
      expect(emitted.at(-1)?.q).toBe('Asha');
      input.value = '+1 (415)';
      input.dispatchEvent(new Event('input'));
      vi.advanceTimersByTime(400);
      expect(emitted.at(-1)?.q).toBe('1415');
    } finally {
      vi.useRealTimers();
    }
  });
});
