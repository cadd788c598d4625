import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { of } from 'rxjs';

import { ApiKey, CreatedApiKey } from './api-keys-api';
import { ApiKeysPage } from './api-keys-page';
import { CreateApiKeyDialog } from './create-api-key-dialog';

const key = (overrides: Partial<ApiKey> = {}): ApiKey => ({
  id: 'k1',
  name: 'CRM sync',
  role: 'agent',
  prefix: 'sb_live_AbCd',
  createdBy: 'u-owner',
  createdAt: '2026-03-01T10:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
  ...overrides,
});

describe('ApiKeysPage', () => {
  let fixture: ComponentFixture<ApiKeysPage>;
  let backend: HttpTestingController;
  let page: HTMLElement;
  let dialogAnswer: unknown;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [ApiKeysPage],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
    const dialog = TestBed.inject(MatDialog);
    vi.spyOn(dialog, 'open').mockImplementation(
      () => ({ afterClosed: () => of(dialogAnswer) }) as ReturnType<MatDialog['open']>,
    );
    fixture = TestBed.createComponent(ApiKeysPage);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  const rows = () => Array.from(page.querySelectorAll<HTMLElement>('[data-testid="api-key-row"]'));

  it('lists keys with their prefix and last use, never a secret', async () => {
    backend.expectOne('/api/api-keys').flush({
      items: [
        key(),
        key({
          id: 'k2',
          name: 'Old',
          lastUsedAt: '2026-03-02T10:00:00.000Z',
          revokedAt: '2026-03-03T10:00:00.000Z',
        }),
      ],
    });
    await fixture.whenStable();
    expect(rows()).toHaveLength(2);
    expect(rows()[0].textContent).toContain('sb_live_AbCd…');
    expect(rows()[0].textContent).toContain('Never');
    expect(rows()[1].querySelector('[data-testid="api-key-revoked"]')).not.toBeNull();
    expect(page.textContent).toContain('1 active key');
  });

  it('adds a created key to the list without its secret', async () => {
    backend.expectOne('/api/api-keys').flush({ items: [] });
    await fixture.whenStable();
    const created: CreatedApiKey = { ...key({ id: 'k9', name: 'New' }), secret: 'sb_live_SECRET' };
    dialogAnswer = created;
    page.querySelector<HTMLButtonElement>('[data-testid="api-key-create"]')!.click();
    await fixture.whenStable();
    expect(TestBed.inject(MatDialog).open).toHaveBeenCalledWith(
      CreateApiKeyDialog,
      expect.anything(),
    );
    expect(rows()).toHaveLength(1);
    expect(page.textContent).not.toContain('sb_live_SECRET');
  });

  it('revokes after confirmation, and not without it', async () => {
    backend.expectOne('/api/api-keys').flush({ items: [key()] });
    await fixture.whenStable();

    dialogAnswer = false;
    rows()[0].querySelector<HTMLButtonElement>('[data-testid="api-key-revoke"]')!.click();
    backend.expectNone('/api/api-keys/k1');

    dialogAnswer = true;
    rows()[0].querySelector<HTMLButtonElement>('[data-testid="api-key-revoke"]')!.click();
    const req = backend.expectOne('/api/api-keys/k1');
    expect(req.request.method).toBe('DELETE');
    req.flush(key({ revokedAt: '2026-03-04T10:00:00.000Z' }));
    await fixture.whenStable();
    expect(rows()[0].querySelector('[data-testid="api-key-revoked"]')).not.toBeNull();
    expect(page.textContent).toContain('0 active keys');
  });
});
