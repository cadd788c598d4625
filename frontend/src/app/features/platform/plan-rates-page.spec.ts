import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ActivatedRoute, convertToParamMap, provideRouter } from '@angular/router';

import { PlanDeck } from './platform-api';
import { PlanRatesPage } from './plan-rates-page';

const PATH = '/api/platform/price-plans/plan-gold/rates';

function rate(prefix: string, description: string, micros: string) {
  return {
    prefix,
    description,
    currency: 'USD',
    ratePerMinuteMicros: micros,
    initialIncrement: 60,
    subsequentIncrement: 60,
    minimumSeconds: 0,
    source: 'organization' as const,
  };
}

const DECK: PlanDeck = {
  plan: { id: 'plan-gold', name: 'Gold', isDefault: false },
  organization: [rate('44', 'United Kingdom', '13000')],
  default: [{ ...rate('1', 'United States', '20000'), source: 'default' }],
};

describe('PlanRatesPage', () => {
  let fixture: ComponentFixture<PlanRatesPage>;
  let backend: HttpTestingController;
  let page: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [PlanRatesPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        {
          provide: ActivatedRoute,
          useValue: { snapshot: { paramMap: convertToParamMap({ id: 'plan-gold' }) } },
        },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(PlanRatesPage);
    page = fixture.nativeElement as HTMLElement;
    backend.expectOne(PATH).flush(DECK);
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  const all = (testId: string) =>
    Array.from(page.querySelectorAll<HTMLElement>(`[data-testid="${testId}"]`));
  const el = <T extends HTMLElement = HTMLElement>(testId: string) =>
    page.querySelector<T>(`[data-testid="${testId}"]`);
  async function type(input: HTMLInputElement, value: string): Promise<void> {
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }
  const field = (row: number, testId: string) =>
    all('rate-row')[row].querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)!;

  it("shows the plan's own rates, exact to the micro, and what falls back to the default plan", () => {
    expect(el('plan-title')?.textContent).toContain('Gold');
    expect(page.textContent).toContain('1 rate of its own');
    expect(page.textContent).toContain('default plan (1 rate)');
    expect(all('plan-rate-row')).toHaveLength(1);
    expect(el('plan-rate-price')?.textContent).toContain('$0.013');
  });

  it('checks every field next to it before saving, then replaces the deck in one PUT', async () => {
    el<HTMLButtonElement>('plan-edit')!.click();
    await fixture.whenStable();
    el<HTMLButtonElement>('rate-add')!.click();
    await fixture.whenStable();
    await type(field(1, 'rate-prefix'), '044');
    await type(field(1, 'rate-price'), '0.0000001');
    await type(field(1, 'rate-initial'), '0');
    el<HTMLFormElement>('plan-editor')!.dispatchEvent(new Event('submit'));
    await fixture.whenStable();

    backend.expectNone(PATH);
    expect(el('plan-save-error')?.textContent).toContain('Check the highlighted fields');
    const second = all('rate-row')[1];
    expect(second.querySelector('[data-testid="rate-prefix-error"]')?.textContent).toContain(
      'no leading 0',
    );
    expect(second.querySelector('[data-testid="rate-price-error"]')?.textContent).toContain(
      '6 decimals',
    );
    expect(second.querySelector('[data-testid="rate-description-error"]')?.textContent).toContain(
      'Required',
    );
    expect(second.querySelector('[data-testid="rate-initial-error"]')?.textContent).toContain(
      '1–3600 s',
    );

    // The same prefix twice is flagged on the row.
    await type(field(1, 'rate-prefix'), '+44');
    expect(
      all('rate-row')[1].querySelector('[data-testid="rate-prefix-error"]')?.textContent,
    ).toContain('Listed twice');

    await type(field(1, 'rate-prefix'), '+33 ');
    await type(field(1, 'rate-description'), 'France');
    await type(field(1, 'rate-price'), '0.02');
    await type(field(1, 'rate-initial'), '6');
    el<HTMLFormElement>('plan-editor')!.dispatchEvent(new Event('submit'));
    const put = backend.expectOne(PATH);
    expect(put.request.method).toBe('PUT');
    expect(put.request.body.rates).toEqual([
      {
        prefix: '44',
        description: 'United Kingdom',
        ratePerMinuteMicros: '13000',
        initialIncrement: 60,
        subsequentIncrement: 60,
        minimumSeconds: 0,
      },
      {
        prefix: '33',
        description: 'France',
        ratePerMinuteMicros: '20000',
        initialIncrement: 6,
        subsequentIncrement: 60,
        minimumSeconds: 0,
      },
    ]);
    put.flush({ ...DECK, organization: [...DECK.organization, rate('33', 'France', '20000')] });
    await fixture.whenStable();
    expect(el('plan-editor')).toBeNull();
    expect(all('plan-rate-row')).toHaveLength(2);
  });

  it('points at the field the server refused', async () => {
    el<HTMLButtonElement>('plan-edit')!.click();
    await fixture.whenStable();
    el<HTMLFormElement>('plan-editor')!.dispatchEvent(new Event('submit'));
    backend
      .expectOne(PATH)
      .flush(
        { statusCode: 400, message: ['rates.0.prefix must be 1 to 15 digits of an E.164 number'] },
        { status: 400, statusText: 'Bad Request' },
      );
    await fixture.whenStable();

    expect(el('plan-save-error')?.textContent).toContain('rates.0.prefix must be');
    expect(el('rate-prefix-error')?.textContent).toContain('Check this prefix');
  });
});
