import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Clipboard } from '@angular/cdk/clipboard';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';

import { ProvidersOverview } from './providers-api';
import { ProvidersPage } from './providers-page';

const OVERVIEW: ProvidersOverview = {
  publicBaseUrl: 'https://sb.example.com',
  since: '2026-12-01T12:00:00.000Z',
  providers: [
    {
      name: 'simulator',
      label: 'Simulator',
      kind: 'calls',
      configured: true,
      missing: [],
      webhooks: [
        {
          label: 'Webhook URL',
          url: 'https://sb.example.com/api/webhooks/simulator',
          copyable: true,
          note: 'Switchboard’s own simulated provider delivers here',
        },
      ],
      secrets: [{ name: 'SIMULATOR_WEBHOOK_SECRET', set: true, masked: 'whsec_••••abcd' }],
      counts: { received: 12, rejected: 1, deadLettered: 0 },
    },
    {
      name: 'exotel',
      label: 'Exotel',
      kind: 'calls',
      configured: false,
      missing: ['EXOTEL_ACCOUNT_SID'],
      webhooks: [
        {
          label: 'Status callback',
          url: 'https://sb.example.com/api/webhooks/exotel/status?token=<EXOTEL_WEBHOOK_TOKEN>',
          copyable: false,
          note: 'Sent by Switchboard with every call',
        },
      ],
      secrets: [{ name: 'EXOTEL_WEBHOOK_TOKEN', set: false, masked: null }],
      counts: { received: 0, rejected: 0, deadLettered: 0 },
    },
    {
      name: 'stripe',
      label: 'Stripe payments',
      kind: 'payments',
      configured: false,
      missing: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'],
      webhooks: [
        {
          label: 'Webhook endpoint',
          url: 'https://sb.example.com/api/webhooks/payments/stripe',
          copyable: true,
          note: 'Stripe dashboard → Developers → Webhooks',
        },
      ],
      secrets: [],
      counts: { received: 0, rejected: 0, deadLettered: 0 },
    },
  ],
};

describe('ProvidersPage', () => {
  let fixture: ComponentFixture<ProvidersPage>;
  let page: HTMLElement;
  let copied: string[];

  beforeEach(async () => {
    copied = [];
    TestBed.configureTestingModule({
      imports: [ProvidersPage],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    vi.spyOn(TestBed.inject(MatSnackBar), 'open').mockImplementation(
      () => ({}) as ReturnType<MatSnackBar['open']>,
    );
    vi.spyOn(TestBed.inject(Clipboard), 'copy').mockImplementation((text: string) => {
      copied.push(text);
      return true;
    });
    fixture = TestBed.createComponent(ProvidersPage);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    TestBed.inject(HttpTestingController).expectOne('/api/providers').flush(OVERVIEW);
    await fixture.whenStable();
  });

  const card = (name: string) =>
    page.querySelector<HTMLElement>(`[data-testid="provider-${name}"]`)!;

  it('groups providers, says which are configured and what is missing, with last-day counts', () => {
    expect(Array.from(page.querySelectorAll('h2.group')).map((h) => h.textContent)).toEqual([
      'Calls',
      'Payments',
    ]);
    expect(card('simulator').textContent).toContain('Configured');
    expect(card('simulator').querySelector('[data-testid="provider-received"]')?.textContent).toBe(
      '12',
    );
    expect(
      card('simulator').querySelector('[data-testid="provider-rejected"]')?.classList,
    ).toContain('bad');
    expect(card('stripe').textContent).toContain('Set STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET');
    expect(card('simulator').textContent).toContain('whsec_••••abcd');
    expect(card('exotel').textContent).toContain('not set');
  });

  it('copies a URL, and offers no copy for one whose secret is masked', () => {
    card('simulator').querySelector<HTMLElement>('[data-testid="provider-copy-url"]')!.click();
    expect(copied).toEqual(['https://sb.example.com/api/webhooks/simulator']);
    expect(card('exotel').querySelector('[data-testid="provider-copy-url"]')).toBeNull();
  });
});
