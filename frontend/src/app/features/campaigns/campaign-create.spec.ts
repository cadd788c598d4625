import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';

import { CampaignCreate } from './campaign-create';

describe('CampaignCreate', () => {
  let fixture: ComponentFixture<CampaignCreate>;
  let form: CampaignCreate;
  let backend: HttpTestingController;
  let page: HTMLElement;

  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    TestBed.configureTestingModule({
      imports: [CampaignCreate],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(CampaignCreate);
    form = fixture.componentInstance;
    page = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
    backend
      .expectOne('/api/voice/config')
      .flush({ twilio: { enabled: false, identity: null }, providers: ['simulator', 'exotel'] });
    backend.expectOne('/api/caller-ids').flush({ items: [] });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const preview = {
    total: 6,
    dnc: 1,
    invalidNumber: 0,
    callableNow: 4,
    outsideHoursNow: 1,
    noRate: 0,
    estimatedCostMicros: '300000',
    currency: 'USD',
    estimateCallSeconds: 60,
  };

  it('counts the audience live (debounced) with the DNC and hours preview', () => {
    form.audience.controls.tag.setValue('leads');
    form.audience.controls.tag.setValue('leads-dec');
    vi.advanceTimersByTime(400);
    const request = backend.expectOne('/api/campaigns/preview');
    expect(request.request.body).toEqual({ audience: { tag: 'leads-dec' }, schedule: {} });
    request.flush(preview);
    fixture.detectChanges();
    expect(page.querySelector('[data-testid="preview-total"]')!.textContent!.trim()).toBe('6');
    expect(page.querySelector('[data-testid="preview-dnc"]')!.textContent!.trim()).toBe('1');
    expect(page.querySelector('[data-testid="preview-callable"]')!.textContent!.trim()).toBe('4');
    backend.match(() => true);
  });

  it('validates next to the fields: name, tag, pacing, window order, Bolna agent, time zone', () => {
    expect(form.audience.valid).toBe(false);
    form.audience.controls.name.setValue('Renewals');
    expect(form.audience.hasError('tagRequired')).toBe(true);
    form.audience.controls.mode.setValue('contacts');
    expect(form.audience.hasError('contactsRequired')).toBe(true);

    form.pacing.controls.maxConcurrent.setValue(0);
    expect(form.pacing.controls.maxConcurrent.invalid).toBe(true);
    form.pacing.controls.maxConcurrent.setValue(2.5);
    expect(form.pacing.controls.maxConcurrent.hasError('integer')).toBe(true);

    form.provider.controls.provider.setValue('bolna');
    expect(form.provider.hasError('agentRequired')).toBe(true);
    form.provider.controls.bolnaAgentId.setValue('agent-1');
    expect(form.provider.valid).toBe(true);

    form.schedule.controls.zoneMode.setValue('fixed');
    form.schedule.controls.timeZone.setValue('Mars/Olympus');
    expect(form.schedule.hasError('zone')).toBe(true);
    form.schedule.controls.timeZone.setValue('Asia/Kolkata');
    expect(form.schedule.valid).toBe(true);

    (form as unknown as { addWindow(): void }).addWindow();
    const window = form.schedule.controls.windows.at(0);
    window.controls.start.setValue('18:00');
    window.controls.end.setValue('09:00');
    expect(window.hasError('order')).toBe(true);
    expect(form.schedule.valid).toBe(false);
    backend.match(() => true);
  });

  it('creates and starts the campaign, then opens its page', () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    form.audience.setValue({ name: 'Renewals', mode: 'tag', tag: 'leads-dec', contactIds: [] });
    (form as unknown as { create(start: boolean): void }).create(true);
    const create = backend.expectOne('/api/campaigns');
    expect(create.request.body).toMatchObject({
      name: 'Renewals',
      provider: 'simulator',
      audience: { tag: 'leads-dec' },
      pacing: { maxConcurrent: 5, perMinute: 60 },
      retry: { on: ['busy', 'no_answer'], maxAttempts: 2, delaySeconds: 600 },
    });
    create.flush({ id: 'c-1' });
    backend.expectOne('/api/campaigns/c-1/start').flush({ id: 'c-1', status: 'running' });
    expect(navigate).toHaveBeenCalledWith(['/campaigns', 'c-1']);
    backend.match(() => true);
  });

  it("shows the server's refusal and stays on the form", () => {
    form.audience.setValue({ name: 'Renewals', mode: 'tag', tag: 'leads-dec', contactIds: [] });
    (form as unknown as { create(start: boolean): void }).create(false);
    backend.expectOne('/api/campaigns').flush(
      {
        statusCode: 400,
        message: "callerId +14155550199 is not one of your organization's caller IDs",
      },
      { status: 400, statusText: 'Bad Request' },
    );
    fixture.detectChanges();
    expect((form as unknown as { saveError(): string | null }).saveError()).toContain(
      'is not one of your organization',
    );
    backend.match(() => true);
  });
});
