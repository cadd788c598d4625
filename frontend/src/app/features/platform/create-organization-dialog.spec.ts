import { Clipboard } from '@angular/cdk/clipboard';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';

import { CreateOrganizationDialog, generatePassword } from './create-organization-dialog';
import { makeOrganization, makePlan } from './platform-testing';

describe('CreateOrganizationDialog', () => {
  let fixture: ComponentFixture<CreateOrganizationDialog>;
  let backend: HttpTestingController;
  let page: HTMLElement;
  const dialogRef = { close: vi.fn(), disableClose: false };

  beforeEach(async () => {
    dialogRef.close.mockClear();
    TestBed.configureTestingModule({
      imports: [CreateOrganizationDialog],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MatDialogRef, useValue: dialogRef },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(CreateOrganizationDialog);
    page = fixture.nativeElement as HTMLElement;
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
  async function fill(password: string): Promise<void> {
    await type('org-name', '  Acme Corp ');
    await type('org-owner-name', 'Olivia Owner');
    await type('org-owner-email', 'owner@acme.example');
    await type('org-owner-password-input', password);
  }
  const submit = () => el<HTMLFormElement>('org-create-form')!.dispatchEvent(new Event('submit'));

  it('creates the organization with its first owner and shows the password to send', async () => {
    await fill('a-long-owner-password');
    submit();
    const req = backend.expectOne('/api/platform/organizations');
    expect(req.request.body).toEqual({
      name: 'Acme Corp',
      defaultCountry: 'US',
      pricePlanId: undefined,
      owner: {
        name: 'Olivia Owner',
        email: 'owner@acme.example',
        password: 'a-long-owner-password',
      },
    });
    req.flush(makeOrganization());
    await fixture.whenStable();

    expect(el('org-created')?.textContent).toContain('owner@acme.example');
    expect(el('org-owner-password')?.textContent).toContain('a-long-owner-password');
    expect(el('org-setup-link')).toBeNull();
    el<HTMLButtonElement>('org-created-open')!.click();
    expect(dialogRef.close).toHaveBeenCalledWith({
      organization: makeOrganization(),
      open: true,
    });
  });

  it('shows the setup link with a copy button when the api returns one', async () => {
    const copy = vi.spyOn(TestBed.inject(Clipboard), 'copy').mockReturnValue(true);
    await fill('a-long-owner-password');
    submit();
    backend.expectOne('/api/platform/organizations').flush({
      ...makeOrganization(),
      ownerSetup: { setupUrl: 'http://localhost/setup/abc123', expiresAt: '2030-01-01T00:00:00Z' },
    });
    await fixture.whenStable();

    expect(el('org-setup-link')?.textContent).toContain('http://localhost/setup/abc123');
    expect(el('org-owner-password')).toBeNull();
    el<HTMLButtonElement>('org-setup-link-copy')!.click();
    expect(copy).toHaveBeenCalledWith('http://localhost/setup/abc123');
  });

  it('asks for a long enough password, and generates one', async () => {
    await fill('short');
    submit();
    await fixture.whenStable();
    backend.expectNone('/api/platform/organizations');
    expect(page.textContent).toContain('At least 12 characters');

    el<HTMLButtonElement>('org-owner-generate')!.click();
    await fixture.whenStable();
    expect(el<HTMLInputElement>('org-owner-password-input')!.value).toHaveLength(16);
    expect(generatePassword()).toMatch(/^[a-zA-Z2-9]{16}$/);
  });

  it('marks the email a 409 says is taken, and keeps the form', async () => {
    await fill('a-long-owner-password');
    submit();
    backend
      .expectOne('/api/platform/organizations')
      .flush(
        { statusCode: 409, message: 'A user with the email owner@acme.example already exists' },
        { status: 409, statusText: 'Conflict' },
      );
    await fixture.whenStable();

    expect(el('org-create-error')?.textContent).toContain('already exists');
    expect(el('org-owner-email-taken')).not.toBeNull();
    expect(dialogRef.close).not.toHaveBeenCalled();
  });
});
