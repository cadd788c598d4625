import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import {
  ActivatedRoute,
  ParamMap,
  Router,
  convertToParamMap,
  provideRouter,
} from '@angular/router';
import { BehaviorSubject } from 'rxjs';

import { AuditEntry } from './audit-api';
import { AuditPage, startOfLocalDay } from './audit-page';

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  id: 'e1',
  occurredAt: '2026-03-02T10:00:00.000Z',
  organizationId: 'org-1',
  actor: { userId: 'u-owner', apiKeyId: null, role: 'owner', label: 'owner@demo.test' },
  action: 'user.role_changed',
  targetType: 'user',
  targetId: 'u-agent',
  before: { email: 'agent@demo.test', role: 'agent' },
  after: { email: 'agent@demo.test', role: 'admin' },
  ...overrides,
});

describe('AuditPage', () => {
  let fixture: ComponentFixture<AuditPage>;
  let backend: HttpTestingController;
  let page: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [AuditPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AuditPage);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  const entries = () =>
    Array.from(page.querySelectorAll<HTMLElement>('[data-testid="audit-entry"]'));

  it('lists entries newest first with who, what and the fields before and after', async () => {
    backend
      .expectOne((req) => req.url === '/api/audit' && req.params.get('limit') === '50')
      .flush({
        items: [
          entry(),
          entry({
            id: 'e2',
            action: 'api_key.created',
            actor: { userId: 'u-owner', apiKeyId: 'k1', role: 'admin', label: 'API key “CRM”' },
            before: null,
            after: { name: 'CRM', role: 'agent' },
          }),
        ],
        nextCursor: null,
      });
    await fixture.whenStable();

    expect(entries()).toHaveLength(2);
    const [first, second] = entries();
    expect(first.textContent).toContain('Changed a user’s role');
    expect(first.textContent).toContain('owner@demo.test');
    const changed = first.querySelector('tr.changed')!;
    expect(changed.querySelector('th')?.textContent).toContain('Role');
    expect(changed.querySelector('.before')?.textContent).toContain('agent');
    expect(changed.querySelector('.after')?.textContent).toContain('admin');
    // A creation has no "Before" column.
    expect(second.textContent).toContain('API key “CRM”');
    expect(second.querySelector('.before')).toBeNull();
    expect(second.querySelector('.after')?.textContent).toContain('CRM');
  });

  it('filters by actor when an actor is clicked, and clears filters', async () => {
    backend
      .expectOne((req) => req.url === '/api/audit')
      .flush({ items: [entry()], nextCursor: null });
    await fixture.whenStable();

    entries()[0].querySelector<HTMLButtonElement>('.actor')!.click();
    const filtered = backend.expectOne((req) => req.url === '/api/audit');
    expect(filtered.request.params.get('actorId')).toBe('u-owner');
    filtered.flush({ items: [], nextCursor: null });
    await fixture.whenStable();
    expect(page.querySelector('[data-testid="audit-empty"]')?.textContent).toContain(
      'No change matches these filters',
    );

    page.querySelector<HTMLButtonElement>('[data-testid="audit-clear"]')!.click();
    const cleared = backend.expectOne((req) => req.url === '/api/audit');
    expect(cleared.request.params.keys().filter((key) => key !== 'limit')).toEqual([]);
    cleared.flush({ items: [], nextCursor: null });
  });

  it('sends a date range as the local days’ bounds, the "to" day included', () => {
    backend.expectOne((req) => req.url === '/api/audit').flush({ items: [], nextCursor: null });
    expect(startOfLocalDay('2026-03-02')).toBe(new Date(2026, 2, 2).toISOString());
    expect(startOfLocalDay('2026-03-02', 1)).toBe(new Date(2026, 2, 3).toISOString());
    expect(startOfLocalDay('')).toBeUndefined();

    const input = page.querySelector<HTMLInputElement>('[data-testid="audit-from"]')!;
    input.value = '2026-03-02';
    input.dispatchEvent(new Event('change'));
    const req = backend.expectOne((r) => r.url === '/api/audit');
    expect(req.request.params.get('from')).toBe(new Date(2026, 2, 2).toISOString());
    req.flush({ items: [], nextCursor: null });
  });
});

describe('AuditPage, as the platform operator', () => {
  let fixture: ComponentFixture<AuditPage>;
  let backend: HttpTestingController;
  let page: HTMLElement;
  let navigate: ReturnType<typeof vi.spyOn>;
  let params: BehaviorSubject<ParamMap>;

  beforeEach(async () => {
    params = new BehaviorSubject(convertToParamMap({ organization: 'org-2' }));
    TestBed.configureTestingModule({
      imports: [AuditPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        {
          provide: ActivatedRoute,
          useValue: {
            snapshot: {
              data: { platform: true },
              queryParamMap: convertToParamMap({ organization: 'org-2' }),
            },
            queryParamMap: params,
          },
        },
      ],
    });
    navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AuditPage);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  it("opens on the URL's organization, names each entry's organization, and clears to all", async () => {
    const first = backend.expectOne((req) => req.url === '/api/audit');
    expect(first.request.params.get('organizationId')).toBe('org-2');
    first.flush({
      items: [
        entry({ organizationId: 'org-2', action: 'wallet.credited', targetType: 'payment' }),
        entry({ id: 'e3', organizationId: null, action: 'price_plan.created', before: null }),
      ],
      nextCursor: null,
    });
    backend.expectOne('/api/platform/organizations').flush({
      items: [
        { id: 'org-1', name: 'Acme' },
        { id: 'org-2', name: 'Globex' },
      ],
    });
    await fixture.whenStable();

    expect(page.querySelector('.eyebrow')?.textContent).toContain('Platform');
    const organizations = Array.from(
      page.querySelectorAll('[data-testid="audit-entry-organization"]'),
    ).map((element) => element.textContent?.replace(/\s+/g, ' ').trim());
    expect(organizations).toEqual(['apartment Globex', 'apartment Platform']);
    expect(page.querySelector('[data-testid="audit-organization"]')?.textContent).toContain(
      'Globex',
    );

    page.querySelector<HTMLButtonElement>('[data-testid="audit-clear"]')!.click();
    expect(navigate).toHaveBeenCalledWith(
      [],
      expect.objectContaining({ queryParams: { organization: null } }),
    );
    const all = backend.expectOne((req) => req.url === '/api/audit');
    expect(all.request.params.has('organizationId')).toBe(false);
    all.flush({ items: [], nextCursor: null });
    // The URL catching up with the page loads nothing more.
    params.next(convertToParamMap({}));
    await fixture.whenStable();
  });

  it('follows the URL when it names another organization (the same page routed again)', async () => {
    backend.expectOne((req) => req.url === '/api/audit').flush({ items: [], nextCursor: null });
    backend.expectOne('/api/platform/organizations').flush({ items: [] });
    params.next(convertToParamMap({ organization: 'org-1' }));
    const again = backend.expectOne((req) => req.url === '/api/audit');
    expect(again.request.params.get('organizationId')).toBe('org-1');
    again.flush({ items: [], nextCursor: null });
  });
});
