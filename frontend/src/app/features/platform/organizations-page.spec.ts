import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { OrganizationsPage } from './organizations-page';
import { makeOrganization } from './platform-testing';

describe('OrganizationsPage', () => {
  let fixture: ComponentFixture<OrganizationsPage>;
  let backend: HttpTestingController;
  let page: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [OrganizationsPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(OrganizationsPage);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  const rows = () => Array.from(page.querySelectorAll<HTMLElement>('[data-testid="org-row"]'));
  const text = (selector: string) => page.querySelector(selector)?.textContent ?? '';

  it('lists every organization with its plan, users and wallet, money to the cent', async () => {
    expect(page.querySelector('[data-testid="orgs-loading"]')).not.toBeNull();
    backend.expectOne('/api/platform/organizations').flush({
      items: [
        makeOrganization(),
        makeOrganization({
          id: 'org-2',
          name: 'Globex',
          suspendedAt: '2026-11-25T08:00:00.000Z',
          suspensionReason: 'Unpaid invoice #42',
          wallet: { ...makeOrganization().wallet, lastTopUpAt: null },
        }),
      ],
    });
    await fixture.whenStable();

    expect(rows()).toHaveLength(2);
    const acme = rows()[0].textContent ?? '';
    expect(acme).toContain('Acme Corp');
    expect(acme).toContain('Default');
    expect(acme).toContain('$1,250.51'); // balance, to the cent
    expect(acme).toContain('$3.00'); // held
    expect(acme).toContain('$1,247.51'); // available
    expect(acme).toContain('$1,000.00'); // operator credits
    expect(acme).toContain('$250.00'); // paid top-ups
    expect(acme).toContain('Active');
    expect(rows()[1].textContent).toContain('Suspended');
    expect(rows()[1].textContent).toContain('—'); // no top-up yet
    expect(text('[data-testid="org-count"]')).toContain('2 organizations');
    expect(text('[data-testid="org-count"]')).toContain('1 suspended');
  });

  it('filters by state on the server and by name in the page', async () => {
    backend.expectOne('/api/platform/organizations').flush({ items: [makeOrganization()] });
    await fixture.whenStable();

    (fixture.componentInstance as unknown as { setState(state: string | null): void }).setState(
      'suspended',
    );
    const req = backend.expectOne((r) => r.url === '/api/platform/organizations');
    expect(req.request.params.get('state')).toBe('suspended');
    req.flush({ items: [] });
    await fixture.whenStable();
    expect(text('[data-testid="orgs-empty"]')).toContain('No organization is suspended');

    (fixture.componentInstance as unknown as { setState(state: string | null): void }).setState(
      null,
    );
    backend
      .expectOne('/api/platform/organizations')
      .flush({ items: [makeOrganization(), makeOrganization({ id: 'org-2', name: 'Globex' })] });
    await fixture.whenStable();
    const search = page.querySelector<HTMLInputElement>('[data-testid="org-search"]')!;
    search.value = 'glob';
    search.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(rows().map((row) => row.dataset['orgName'])).toEqual(['Globex']);
  });

  it('invites to create the first organization when there is none', async () => {
    backend.expectOne('/api/platform/organizations').flush({ items: [] });
    await fixture.whenStable();

    expect(text('[data-testid="orgs-empty"]')).toContain('Create the first organization');
  });

  it("names the server's reason when the list cannot be loaded, and tries again", async () => {
    backend
      .expectOne('/api/platform/organizations')
      .flush(
        { statusCode: 403, message: 'Only platform operators may use /api/platform' },
        { status: 403, statusText: 'Forbidden' },
      );
    await fixture.whenStable();

    expect(text('[data-testid="orgs-error"]')).toContain('Only platform operators');
    page.querySelector<HTMLButtonElement>('[data-testid="orgs-error"] button')!.click();
    backend.expectOne('/api/platform/organizations').flush({ items: [] });
  });
});
