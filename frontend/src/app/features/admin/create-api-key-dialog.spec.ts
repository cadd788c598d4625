import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Clipboard } from '@angular/cdk/clipboard';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';

import { CreateApiKeyDialog } from './create-api-key-dialog';

describe('CreateApiKeyDialog', () => {
  let fixture: ComponentFixture<CreateApiKeyDialog>;
  let backend: HttpTestingController;
  let page: HTMLElement;
  const close = vi.fn();

  beforeEach(async () => {
    close.mockReset();
    TestBed.configureTestingModule({
      imports: [CreateApiKeyDialog],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MatDialogRef, useValue: { close, disableClose: false } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(CreateApiKeyDialog);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  const type = (testId: string, value: string) => {
    const input = page.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };

  it('creates the key, shows its secret once with a copy button, then closes with the key', async () => {
    const copy = vi.spyOn(TestBed.inject(Clipboard), 'copy').mockReturnValue(true);
    type('api-key-name', '  CRM sync ');
    page.querySelector<HTMLButtonElement>('[data-testid="api-key-submit"]')!.click();
    const req = backend.expectOne('/api/api-keys');
    expect(req.request.body).toEqual({ name: 'CRM sync', role: 'agent' });
    const created = {
      id: 'k1',
      name: 'CRM sync',
      role: 'agent',
      prefix: 'sb_live_AbCd',
      createdBy: 'u',
      createdAt: '2026-03-01T10:00:00.000Z',
      lastUsedAt: null,
      revokedAt: null,
      secret: 'sb_live_AbCdSecret',
    };
    req.flush(created);
    await fixture.whenStable();

    expect(page.querySelector('[data-testid="api-key-secret"]')?.textContent).toContain(
      'sb_live_AbCdSecret',
    );
    expect(page.textContent).toContain('only time the key is shown');
    page.querySelector<HTMLButtonElement>('[data-testid="api-key-copy"]')!.click();
    await fixture.whenStable();
    expect(copy).toHaveBeenCalledWith('sb_live_AbCdSecret');
    expect(page.querySelector('[data-testid="api-key-copy"]')?.textContent).toContain('Copied');

    page.querySelector<HTMLButtonElement>('[data-testid="api-key-done"]')!.click();
    expect(close).toHaveBeenCalledWith(created);
  });

  it('asks for a name before sending anything', async () => {
    page.querySelector<HTMLButtonElement>('[data-testid="api-key-submit"]')!.click();
    await fixture.whenStable();
    backend.expectNone('/api/api-keys');
    expect(page.textContent).toContain('Name the key after what will use it');
  });

  it('shows what the server refused', async () => {
    type('api-key-name', 'CRM');
    page.querySelector<HTMLButtonElement>('[data-testid="api-key-submit"]')!.click();
    backend
      .expectOne('/api/api-keys')
      .flush(
        { statusCode: 403, message: 'This action needs the owner role' },
        { status: 403, statusText: 'Forbidden' },
      );
    await fixture.whenStable();
    expect(page.querySelector('[data-testid="api-key-error"]')?.textContent).toContain(
      'needs the owner role',
    );
  });
});
