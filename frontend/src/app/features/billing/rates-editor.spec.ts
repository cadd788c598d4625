import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { Rate, RateDeck } from '../../core/billing/billing';
import { RatesEditor } from './rates-editor';

function rate(overrides: Partial<Rate>): Rate {
  return {
    prefix: '1',
    description: 'United States / Canada (sample)',
    currency: 'USD',
    ratePerMinuteMicros: '13000',
    initialIncrement: 6,
    subsequentIncrement: 6,
    minimumSeconds: 0,
    source: 'default',
    ...overrides,
  };
}

const DECK: RateDeck = {
  plan: { id: 'plan-default', name: 'Default', isDefault: true },
  organization: [
    rate({
      prefix: '44',
      description: 'UK (ours)',
      ratePerMinuteMicros: '18000',
      source: 'organization',
      initialIncrement: 60,
      subsequentIncrement: 60,
    }),
  ],
  default: [
    rate({}),
    rate({
      prefix: '44',
      description: 'United Kingdom (sample)',
      ratePerMinuteMicros: '20000',
      initialIncrement: 60,
      subsequentIncrement: 60,
    }),
  ],
};

describe('RatesEditor', () => {
  let fixture: ComponentFixture<RatesEditor>;
  let backend: HttpTestingController;
  let page: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [RatesEditor],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(RatesEditor);
    page = fixture.nativeElement as HTMLElement;
    backend.expectOne('/api/billing/rates').flush(DECK);
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  const all = (id: string) =>
    Array.from(page.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));

  it('shows the effective deck with where each rate comes from', () => {
    const rows = all('rates-row').map((row) => [
      row.getAttribute('data-prefix'),
      row.querySelector('[data-testid="rate-source"]')!.textContent!.trim(),
    ]);
    expect(rows).toEqual([
      ['1', 'Default'],
      ['44', 'Organization'],
      ['44', 'Default · overridden'],
    ]);
  });

  it("is read-only: prices are the platform operator's (no edit or override control)", () => {
    expect(page.querySelector('[data-testid="rates-edit"]')).toBeNull();
    expect(page.querySelector('[data-testid="rate-override"]')).toBeNull();
    expect(page.textContent).toContain('set by the platform operator');
  });
});
