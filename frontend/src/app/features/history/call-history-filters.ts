import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  signal,
  inject,
  input,
  output,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { provideDateAdapter } from '../../shared/format/date-adapter';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { debounceTime, merge } from 'rxjs';

import {
  CALL_DIRECTIONS,
  CALL_DIRECTION_LABELS,
  CALL_STATUSES,
  CALL_STATUS_LABELS,
  CallAgent,
  CallDirection,
  CallStatus,
  PROVIDERS,
  PROVIDER_LABELS,
  Provider,
} from '../../core/calls/call';
import { addDays, dayOf, fromDay, toDay } from '../../shared/days/days';
import { CallFilters, NO_FILTERS, SEARCH_MAX_LENGTH, hasFilters, searchText } from './call-filters';

/** Typing settles for this long before the search or the country filter applies. */
export const TYPING_DEBOUNCE_MS = 350;

/** Quick ranges of the organization's days, relative to today. */
export const DATE_PRESETS = [
  { id: 'today', label: 'Today', back: 0, span: 1 },
  { id: 'yesterday', label: 'Yesterday', back: 1, span: 1 },
  { id: '7d', label: '7 days', back: 0, span: 7 },
  { id: '30d', label: '30 days', back: 0, span: 30 },
] as const;
export type DatePreset = (typeof DATE_PRESETS)[number]['id'];

/** The first and last day of a preset, as of `now` (the organization's days). */
export function presetDays(id: DatePreset, now = new Date()): { from: string; to: string } {
  const preset = DATE_PRESETS.find((p) => p.id === id) ?? DATE_PRESETS[0];
  const to = addDays(dayOf(now), -preset.back);
  return { from: addDays(to, 1 - preset.span), to };
}

/** The history's filter bar; emits complete filter sets, which the page puts in the URL. */
@Component({
  selector: 'sb-call-history-filters',
  imports: [
    ReactiveFormsModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatDatepickerModule,
    MatButtonModule,
    MatIconModule,
  ],
  providers: [provideDateAdapter()],
  templateUrl: './call-history-filters.html',
  styleUrl: './call-history-filters.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CallHistoryFilters {
  readonly filters = input.required<CallFilters>();
  /** The organization's people, for the agent filter (admins only; null hides it). */
  readonly agents = input<readonly CallAgent[] | null>(null);
  readonly filtersChange = output<CallFilters>();

  protected readonly statuses = CALL_STATUSES;
  protected readonly statusLabels = CALL_STATUS_LABELS;
  protected readonly providers = PROVIDERS;
  protected readonly providerLabels = PROVIDER_LABELS;
  protected readonly directions = CALL_DIRECTIONS;
  protected readonly directionLabels = CALL_DIRECTION_LABELS;
  protected readonly active = computed(() => hasFilters(this.filters()));
  protected readonly presets = DATE_PRESETS;
  protected readonly searchMaxLength = SEARCH_MAX_LENGTH;
  /** The preset the shown range is, if any (highlighted). */
  protected readonly activePreset = computed<DatePreset | null>(() => {
    const { from, to } = this.filters();
    if (!from || !to) return null;
    const now = new Date();
    return (
      DATE_PRESETS.find((p) => {
        const days = presetDays(p.id, now);
        return days.from === from && days.to === to;
      })?.id ?? null
    );
  });
  /** A typed range that ends before it starts: said next to the field, never applied. */
  protected readonly rangeError = signal<string | null>(null);

  protected readonly form = inject(NonNullableFormBuilder).group({
    q: [''],
    status: [[] as CallStatus[]],
    provider: ['' as Provider | ''],
    direction: ['' as CallDirection | ''],
    agentId: [''],
    country: [''],
    from: [null as Date | null],
    to: [null as Date | null],
  });

  constructor() {
    // The URL is the source of truth: show what it says (back/forward, shared links).
    effect(() => {
      const filters = this.filters();
      const current = this.form.getRawValue();
      this.form.patchValue(
        {
          // Keep what is being typed when it means the same search.
          q: searchText(current.q) === filters.q ? current.q : (filters.q ?? ''),
          status: [...filters.status],
          provider: filters.provider ?? '',
          direction: filters.direction ?? '',
          agentId: filters.agentId ?? '',
          country:
            current.country.trim().toUpperCase() === (filters.country ?? '')
              ? current.country
              : (filters.country ?? ''),
          from: filters.from ? fromDay(filters.from) : null,
          to: filters.to ? fromDay(filters.to) : null,
        },
        { emitEvent: false },
      );
    });

    const c = this.form.controls;
    const typed = merge(c.q.valueChanges, c.country.valueChanges).pipe(
      debounceTime(TYPING_DEBOUNCE_MS),
    );
    const picked = merge(
      c.status.valueChanges,
      c.provider.valueChanges,
      c.direction.valueChanges,
      c.agentId.valueChanges,
      // A range applies once it is complete (or cleared), not after its first day.
      c.to.valueChanges,
    );
    merge(typed, picked)
      .pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe(() => this.emit());
  }

  protected clear(): void {
    this.filtersChange.emit(NO_FILTERS);
  }

  protected clearRange(): void {
    this.form.patchValue({ from: null, to: null }, { emitEvent: false });
    this.emit();
  }

  protected applyPreset(id: DatePreset): void {
    const days = presetDays(id);
    this.form.patchValue({ from: fromDay(days.from), to: fromDay(days.to) }, { emitEvent: false });
    this.emit();
  }

  private emit(): void {
    const value = this.form.getRawValue();
    const country = value.country.trim().toUpperCase();
    const from = value.from ? toDay(value.from) : null;
    const to = value.to ? toDay(value.to) : null;
    if (from && to && from > to) {
      this.rangeError.set('The start date is after the end date');
      // The end input's own validator (matEndDateInvalid) puts the field in its error state.
      this.form.controls.to.markAsTouched();
      this.form.controls.from.markAsTouched();
      return;
    }
    this.rangeError.set(null);
    const next: CallFilters = {
      q: searchText(value.q),
      status: CALL_STATUSES.filter((s) => value.status.includes(s)),
      provider: value.provider || null,
      direction: value.direction || null,
      agentId: value.agentId || null,
      // Half-typed country codes wait; anything else that is not a code is ignored.
      country: /^[A-Z]{2}$/.test(country) ? country : null,
      from,
      to,
    };
    if (country.length === 1) return;
    this.filtersChange.emit(next);
  }
}
