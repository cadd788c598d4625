import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { ActivatedRoute, convertToParamMap, provideRouter } from '@angular/router';
import { of } from 'rxjs';

import { makeTransaction } from '../../testing';
import { OrganizationDetailPage } from './organization-detail-page';
import { makeOrganization, makePlan } from './platform-testing';

const ORG = makeOrganization();
const PATH = `/api/platform/organizations/${ORG.id}`;

describe('OrganizationDetailPage', () => {
  let fixture: ComponentFixture<OrganizationDetailPage>;
  let backend: HttpTestingController;
  let page: HTMLElement;
  let dialogAnswer: unknown;

  beforeEach(async () => {
    dialogAnswer = true;
    TestBed.configureTestingModule({
      imports: [OrganizationDetailPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        {
          provide: ActivatedRoute,
          useValue: { snapshot: { paramMap: convertToParamMap({ id: ORG.id }) } },
        },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    vi.spyOn(TestBed.inject(MatDialog), 'open').mockImplementation(
      () => ({ afterClosed: () => of(dialogAnswer) }) as ReturnType<MatDialog['open']>,
    );
    fixture = TestBed.createComponent(OrganizationDetailPage);
    page = fixture.nativeElement as HTMLElement;
    backend.expectOne(PATH).flush(ORG);
    backend.expectOne('/api/platform/price-plans').flush({
      items: [makePlan(), makePlan({ id: 'plan-gold', name: 'Gold', isDefault: false })],
    });
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  const el = <T extends HTMLElement = HTMLElement>(testId: string) =>
    page.querySelector<T>(`[data-testid="${testId}"]`);
  async function type(testId: string, value: string): Promise<void> {
    const input = el<HTMLInputElement>(testId)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }
  const submit = (testId: string) =>
    el<HTMLFormElement>(testId)!.dispatchEvent(new Event('submit'));

  it('shows the wallet to the cent and the state', () => {
    expect(el('org-title')?.textContent).toContain('Acme Corp');
    expect(el('org-detail-state')?.textContent).toContain('Active');
    expect(el('org-wallet-available')?.textContent).toContain('$1,247.51');
    expect(el('org-wallet-balance')?.textContent).toContain('$1,250.51');
    expect(el('org-wallet-credits')?.textContent).toContain('$1,000.00');
  });

  it('credits once per intended credit: a second submit while sending sends nothing, a retry reuses the key', async () => {
    await type('credit-amount', '50');
    await type('credit-reason', 'Bank transfer ref. 118');
    expect(el('credit-submit')?.textContent).toContain('Credit $50.00');

    submit('credit-form');
    submit('credit-form'); // double click: still sending
    const first = backend.expectOne(`${PATH}/credits`);
    expect(first.request.body).toEqual({
      amountMicros: '50000000',
      reason: 'Bank transfer ref. 118',
    });
    const key = first.request.headers.get('Idempotency-Key');
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    first.flush(null, { status: 0, statusText: 'Network error' });
    await fixture.whenStable();
    expect(el('credit-error')?.textContent).toContain('Cannot reach the server');

    // The same credit again: the same key, so the server makes it at most once.
    submit('credit-form');
    const retry = backend.expectOne(`${PATH}/credits`);
    expect(retry.request.headers.get('Idempotency-Key')).toBe(key);
    retry.flush({
      organizationId: ORG.id,
      transaction: makeTransaction({
        kind: 'adjustment',
        balanceChangeMicros: '50000000',
        balanceAfterMicros: '1300505000',
      }),
    });
    backend.expectOne(PATH).flush({
      ...ORG,
      wallet: { ...ORG.wallet, balanceMicros: '1300505000', availableMicros: '1297505000' },
    });
    await fixture.whenStable();
    expect(el('credit-done')?.textContent).toContain('Credited $50.00');
    expect(el('org-wallet-balance')?.textContent).toContain('$1,300.51');

    // The next credit is another one: a new key.
    await type('credit-amount', '50');
    await type('credit-reason', 'Bank transfer ref. 118');
    submit('credit-form');
    const next = backend.expectOne(`${PATH}/credits`);
    expect(next.request.headers.get('Idempotency-Key')).not.toBe(key);
    next.flush(
      { statusCode: 409, message: 'This Idempotency-Key was used for another credit' },
      { status: 409, statusText: 'Conflict' },
    );
    await fixture.whenStable();
    expect(el('credit-error')?.textContent).toContain('was used for another credit');
  });

  it('says next to the fields what a credit lacks, and sends nothing', async () => {
    await type('credit-amount', '12.3456789');
    submit('credit-form');
    await fixture.whenStable();

    expect(el('credit-amount-error')?.textContent).toContain('at most 6 decimals');
    expect(el('credit-reason-error')?.textContent).toContain('Say why');
    backend.expectNone(`${PATH}/credits`);
  });

  it("refunds a call of this organization and shows the server's refusals clearly", async () => {
    const callId = '5708fb09-f909-4626-a386-61c7792ab14a';
    await type('refund-call-id', callId);
    await type('refund-amount', '0.2');
    await type('refund-reason', 'Dropped call');
    submit('refund-form');
    const tooMuch = backend.expectOne(`/api/platform/calls/${callId}/refund`);
    expect(tooMuch.request.body).toEqual({
      organizationId: ORG.id,
      amountMicros: '200000',
      reason: 'Dropped call',
    });
    tooMuch.flush(
      {
        statusCode: 400,
        message: 'amountMicros 200000 is more than the call was charged (120000)',
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    expect(el('refund-error')?.textContent).toContain('At most $0.12');
    expect(el('refund-error')?.textContent).toContain('more than the call was charged (120000)');

    await type('refund-amount', '');
    submit('refund-form');
    const again = backend.expectOne(`/api/platform/calls/${callId}/refund`);
    expect(again.request.body.amountMicros).toBeUndefined();
    again.flush(
      { statusCode: 409, message: `Call ${callId} was already refunded (a call is refunded once)` },
      { status: 409, statusText: 'Conflict' },
    );
    await fixture.whenStable();
    expect(el('refund-error')?.textContent).toContain('Not refunded');
    expect(el('refund-error')?.textContent).toContain('already refunded');
  });

  it('suspends with the reason given in the dialog, then reinstates after confirmation', async () => {
    dialogAnswer = 'Unpaid invoice #42';
    el<HTMLButtonElement>('org-suspend')!.click();
    const suspend = backend.expectOne(PATH);
    expect(suspend.request.method).toBe('PATCH');
    expect(suspend.request.body).toEqual({
      suspended: true,
      suspensionReason: 'Unpaid invoice #42',
    });
    suspend.flush({
      ...ORG,
      suspendedAt: '2026-12-01T10:00:00.000Z',
      suspensionReason: 'Unpaid invoice #42',
    });
    await fixture.whenStable();
    expect(el('org-detail-state')?.textContent).toContain('Suspended');
    expect(el('org-suspended-banner')?.textContent).toContain('Unpaid invoice #42');

    dialogAnswer = true;
    el<HTMLButtonElement>('org-reinstate')!.click();
    const reinstate = backend.expectOne(PATH);
    expect(reinstate.request.body).toEqual({ suspended: false });
    reinstate.flush(ORG);
    await fixture.whenStable();
    expect(el('org-suspended-banner')).toBeNull();
  });

  it('suspends nothing when the dialog is cancelled', () => {
    dialogAnswer = undefined;
    el<HTMLButtonElement>('org-suspend')!.click();
    backend.expectNone(PATH);
  });

  it('assigns a plan (the default plan as null)', async () => {
    const component = fixture.componentInstance as unknown as {
      plan: { setValue(v: string): void };
      assignPlan(): void;
    };
    component.plan.setValue('plan-gold');
    component.assignPlan();
    const req = backend.expectOne(PATH);
    expect(req.request.body).toEqual({ pricePlanId: 'plan-gold' });
    req.flush({ ...ORG, pricePlan: { id: 'plan-gold', name: 'Gold', isDefault: false } });
    await fixture.whenStable();

    component.plan.setValue('plan-default');
    component.assignPlan();
    const back = backend.expectOne(PATH);
    expect(back.request.body).toEqual({ pricePlanId: null });
    back.flush(ORG);
  });
});
