import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Clipboard } from '@angular/cdk/clipboard';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import { of } from 'rxjs';

import { WebhookEndpoint } from './webhook-endpoints-api';
import { WebhooksPage } from './webhooks-page';

function makeEndpoint(overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return {
    id: 'a7c1c7b5-5d0e-4a5e-9a55-0d6c1f3c4e11',
    url: 'https://crm.example.com/hooks',
    description: 'CRM sync',
    events: ['call.completed'],
    secret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0MTI=',
    secretMasked: 'whsec_c2Vj…MTI=',
    previousSecretExpiresAt: null,
    enabled: true,
    disabledReason: null,
    disabledAt: null,
    failingSince: null,
    createdAt: '2026-12-02T10:00:00.000Z',
    updatedAt: '2026-12-02T10:00:00.000Z',
    ...overrides,
  };
}

describe('WebhooksPage', () => {
  let fixture: ComponentFixture<WebhooksPage>;
  let backend: HttpTestingController;
  let page: HTMLElement;
  let copied: string[];
  let confirmAnswer: boolean;

  beforeEach(async () => {
    copied = [];
    confirmAnswer = true;
    TestBed.configureTestingModule({
      imports: [WebhooksPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    backend = TestBed.inject(HttpTestingController);
    vi.spyOn(TestBed.inject(MatDialog), 'open').mockImplementation(
      () => ({ afterClosed: () => of(confirmAnswer) }) as ReturnType<MatDialog['open']>,
    );
    vi.spyOn(TestBed.inject(MatSnackBar), 'open').mockImplementation(
      () => ({}) as ReturnType<MatSnackBar['open']>,
    );
    vi.spyOn(TestBed.inject(Clipboard), 'copy').mockImplementation((text: string) => {
      copied.push(text);
      return true;
    });
    fixture = TestBed.createComponent(WebhooksPage);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  async function respondWith(items: WebhookEndpoint[]) {
    backend.expectOne('/api/webhook-endpoints').flush({ items, eventTypes: [] });
    await fixture.whenStable();
  }

  const byTestId = (id: string) => page.querySelector<HTMLElement>(`[data-testid="${id}"]`);

  it('shows each endpoint with its events, the secret masked until revealed, and copies the full secret', async () => {
    const endpoint = makeEndpoint();
    await respondWith([endpoint]);
    expect(byTestId('webhook-endpoint-url')?.textContent).toContain(endpoint.url);
    expect(byTestId('webhook-endpoint-state')?.textContent).toContain('Active');
    expect(byTestId('webhook-endpoint-secret')?.textContent?.trim()).toBe(endpoint.secretMasked);

    byTestId('webhook-endpoint-reveal')!.click();
    await fixture.whenStable();
    expect(byTestId('webhook-endpoint-secret')?.textContent?.trim()).toBe(endpoint.secret);

    byTestId('webhook-endpoint-copy-secret')!.click();
    expect(copied).toEqual([endpoint.secret]);
  });

  it('warns when an endpoint was disabled, with its reason, and offers to enable it', async () => {
    await respondWith([
      makeEndpoint({
        enabled: false,
        disabledReason: 'Every delivery failed for 5 days: disabled by Switchboard',
        disabledAt: '2026-12-01T10:00:00.000Z',
      }),
    ]);
    expect(byTestId('webhooks-disabled-banner')?.textContent).toContain('One endpoint is');
    expect(page.textContent).toContain('Every delivery failed for 5 days');
    expect(byTestId('webhook-endpoint-state')?.textContent).toContain('Disabled');

    byTestId('webhook-endpoint-enable')!.click();
    const patch = backend.expectOne(`/api/webhook-endpoints/${makeEndpoint().id}`);
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({ enabled: true });
    patch.flush(makeEndpoint());
    await fixture.whenStable();
    expect(byTestId('webhooks-disabled-banner')).toBeNull();
  });

  it('rotates the secret after confirmation and says until when the previous one still signs', async () => {
    const endpoint = makeEndpoint();
    await respondWith([endpoint]);
    byTestId('webhook-endpoint-rotate')!.click();
    const rotate = backend.expectOne(`/api/webhook-endpoints/${endpoint.id}/rotate-secret`);
    rotate.flush(
      makeEndpoint({
        secret: 'whsec_bmV3LW5ldy1uZXctbmV3LW5ldy1uZXctbmV3LW4=',
        previousSecretExpiresAt: '2026-12-03T10:00:00.000Z',
      }),
    );
    await fixture.whenStable();
    expect(byTestId('webhook-endpoint-rotation')?.textContent).toContain(
      'The previous secret also signs until',
    );
    expect(byTestId('webhook-endpoint-secret')?.textContent).toContain('whsec_bmV3');
  });

  it('deletes only after confirmation', async () => {
    const endpoint = makeEndpoint();
    await respondWith([endpoint]);
    confirmAnswer = false;
    byTestId('webhook-endpoint-delete')!.click();
    backend.expectNone(`/api/webhook-endpoints/${endpoint.id}`);

    confirmAnswer = true;
    byTestId('webhook-endpoint-delete')!.click();
    const remove = backend.expectOne(`/api/webhook-endpoints/${endpoint.id}`);
    expect(remove.request.method).toBe('DELETE');
    remove.flush(null);
    await fixture.whenStable();
    expect(byTestId('webhook-endpoint')).toBeNull();
  });
});
