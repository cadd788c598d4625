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
  const one = (id: string) => page.querySelector<HTMLElement>(`[data-testid="${id}"]`)!;

  async function type(id: string, index: number, value: string): Promise<void> {
    const input = all(id)[index] as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
    await fixture.whenStable();
  }

  async function click(id: string): Promise<void> {
    one(id).click();
    await fixture.whenStable();
  }

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

  it('checks every row before saving: prefixes, duplicates, prices and increments', async () => {
    await click('rates-edit');
    expect(all('rate-row')).toHaveLength(1);
    await click('rates-add');
    await type('rate-prefix', 1, '+44');
    await type('rate-description', 1, 'UK again');
    await type('rate-price', 1, '0.0123456');
    await type('rate-initial', 1, '0');
    await click('rates-add');
    await type('rate-prefix', 2, '0123');
    await click('rates-save');

    expect(one('rates-save-error').textContent).toContain('Check the highlighted fields');
    const errors = Array.from(page.querySelectorAll('mat-error')).map((e) => e.textContent!.trim());
    expect(errors).toEqual([
      'Listed twice',
      'Listed twice',
      'Use at most 6 decimals',
      '1–3600 s',
      'Digits, no leading 0',
      'Required',
      'Enter an amount',
    ]);
    backend.expectNone('/api/billing/rates');

    // Removing the duplicate clears the other row's error too.
    (all('rate-remove')[1] as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(all('rate-prefix-error').map((e) => e.textContent!.trim())).toEqual([
      'Digits, no leading 0',
    ]);
  });

  it('saves the rows as exact micros and shows the new deck', async () => {
    await click('rates-edit');
    await click('rates-add');
    await type('rate-prefix', 1, '+33 ');
    await type('rate-description', 1, 'France');
    await type('rate-price', 1, '0.013');
    await type('rate-initial', 1, '6');
    await type('rate-subsequent', 1, '6');
    await type('rate-minimum', 1, '30');
    await click('rates-save');

    const req = backend.expectOne({ method: 'PUT', url: '/api/billing/rates' });
    expect(req.request.body).toEqual({
      rates: [
        {
          prefix: '44',
          description: 'UK (ours)',
          ratePerMinuteMicros: '18000',
          initialIncrement: 60,
          subsequentIncrement: 60,
          minimumSeconds: 0,
        },
        {
          prefix: '33',
          description: 'France',
          ratePerMinuteMicros: '13000',
          initialIncrement: 6,
          subsequentIncrement: 6,
          minimumSeconds: 30,
        },
      ],
    });
    req.flush({
      ...DECK,
      organization: [...DECK.organization, rate({ prefix: '33', source: 'organization' })],
    });
    await fixture.whenStable();

    expect(page.querySelector('[data-testid="rates-editor"]')).toBeNull();
    expect(all('rates-row').map((row) => row.getAttribute('data-prefix'))).toContain('33');
  });

  it('points at what the server refused (400 names the field, 409 the prefix)', async () => {
    await click('rates-edit');
    await click('rates-add');
    await type('rate-prefix', 1, '4420');
    await type('rate-description', 1, 'London');
    await type('rate-price', 1, '0.01');
    await click('rates-save');
    backend.expectOne('/api/billing/rates').flush(
      {
        statusCode: 400,
        message: 'rates.1.ratePerMinuteMicros must be a whole number of micro-units',
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    expect(one('rates-save-error').textContent).toContain('rates.1.ratePerMinuteMicros');
    expect(
      Array.from(page.querySelectorAll('mat-error')).map((e) => e.textContent!.trim()),
    ).toEqual(['Check this price']);

    await type('rate-price', 1, '0.011');
    await click('rates-save');
    backend
      .expectOne('/api/billing/rates')
      .flush(
        { statusCode: 409, message: 'Each prefix may appear once; listed more than once: 4420' },
        { status: 409, statusText: 'Conflict' },
      );
    await fixture.whenStable();
    expect(all('rate-prefix-error').map((e) => e.textContent!.trim())).toEqual([
      'Check this prefix',
    ]);
  });

  it('starts an override from a default rate', async () => {
    const override = page.querySelector<HTMLButtonElement>(
      '[data-prefix="1"] [data-testid="rate-override"]',
    )!;
    override.click();
    await fixture.whenStable();

    const prefixes = all('rate-prefix').map((input) => (input as HTMLInputElement).value);
    const prices = all('rate-price').map((input) => (input as HTMLInputElement).value);
    expect(prefixes).toEqual(['44', '1']);
    expect(prices).toEqual(['0.018', '0.013']);
  });
});
