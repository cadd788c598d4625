import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ActivatedRoute, convertToParamMap, provideRouter } from '@angular/router';
import { of } from 'rxjs';

import { TOKEN_STORAGE_KEY } from '../../core/auth/auth-service';
import { RealtimeService } from '../../core/realtime/realtime-service';
import { FakeSocket, FakeSockets } from '../../testing';
import { CampaignPage, LIVE_REFRESH_MS } from './campaign-page';
import { Campaign, CampaignStats } from './campaigns-api';

const ID = '5b0c8a0e-1f7e-4c55-9d63-0a4c2d6f7a10';

export function makeCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: ID,
    name: 'December renewals',
    provider: 'simulator',
    status: 'running',
    pauseReason: null,
    audience: { tag: 'leads-dec', contactIds: [] },
    callerId: null,
    bolnaAgentId: null,
    schedule: { startAt: '', timeZone: '', windows: [] },
    pacing: { maxConcurrent: 2, perMinute: 60 },
    retry: { on: ['busy'], maxAttempts: 2, delaySeconds: 0 },
    progress: {
      total: 4,
      pending: 2,
      inFlight: 1,
      completed: 1,
      failed: 0,
      skipped: 0,
      attempts: 2,
      spentMicros: '60000',
    },
    startedAt: '2026-12-02T10:00:00.000Z',
    endedAt: null,
    createdAt: '2026-12-02T09:59:00.000Z',
    ...overrides,
  } as Campaign;
}

const stats = (overrides: Partial<CampaignStats> = {}): CampaignStats =>
  ({
    progress: makeCampaign().progress,
    live: 1,
    settledAttempts: 1,
    answeredAttempts: 1,
    answerRate: 1,
    remainingAttempts: 3,
    expectedAttemptMicros: '60000',
    estimatedRemainingMicros: '180000',
    currency: 'USD',
    estimateCallSeconds: 60,
    bucketSeconds: 10,
    // Chart.js cannot draw in jsdom: the chart itself is checked by e2e/campaigns.e2e.mjs.
    buckets: [],
    ...overrides,
  }) as CampaignStats;

describe('CampaignPage', () => {
  let fixture: ComponentFixture<CampaignPage>;
  let backend: HttpTestingController;
  let socket: FakeSocket;
  let page: HTMLElement;

  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt');
    const sockets = new FakeSockets();
    TestBed.configureTestingModule({
      imports: [CampaignPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        sockets.provider,
        { provide: ActivatedRoute, useValue: { paramMap: of(convertToParamMap({ id: ID })) } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(RealtimeService).start();
    socket = sockets.last;
    socket.accept();
    fixture = TestBed.createComponent(CampaignPage);
    page = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
  });

  afterEach(() => {
    backend.verify();
    localStorage.clear();
    vi.useRealTimers();
  });

  const text = (testId: string) =>
    page.querySelector(`[data-testid="${testId}"]`)?.textContent?.trim() ?? '';

  function flushFirstLoad(campaign = makeCampaign()) {
    backend.expectOne(`/api/campaigns/${ID}`).flush(campaign);
    backend.expectOne(`/api/campaigns/${ID}/stats`).flush(stats());
    backend
      .expectOne((req) => req.url === `/api/campaigns/${ID}/contacts`)
      .flush({
        items: [
          {
            id: 'cc1',
            contactId: 'c1',
            name: 'Asha Rao',
            phone: '+14155550100',
            state: 'done',
            outcome: 'completed',
            skipReason: null,
            attempts: 1,
            nextAttemptAt: null,
            calls: ['call-1'],
            lastCallId: 'call-1',
            lastCallSummary: 'Agreed to renew in January.',
          },
        ],
        nextCursor: null,
      });
    fixture.detectChanges();
  }

  it('shows totals, money, the contact with its call summary, and the controls of a running campaign', () => {
    flushFirstLoad();
    expect(text('campaign-title')).toBe('December renewals');
    expect(text('completed')).toBe('1');
    expect(text('live')).toBe('1');
    expect(text('answer-rate')).toBe('100 %');
    expect(text('remaining-cost')).toContain('0.18');
    expect(text('contact-summary')).toBe('Agreed to renew in January.');
    expect(page.querySelector('[data-testid="contact-call-link"]')!.getAttribute('href')).toBe(
      '/history/call-1',
    );
    expect(page.querySelector('[data-testid="campaign-pause"]')).not.toBeNull();
    expect(page.querySelector('[data-testid="campaign-start"]')).toBeNull();
    expect(page.querySelector('[data-testid="campaign-resume"]')).toBeNull();
  });

  it('follows campaign:updated pushes live, refreshing stats and contacts at most every 2 s', () => {
    flushFirstLoad();
    socket.push(
      'campaign:updated',
      makeCampaign({ progress: { ...makeCampaign().progress, completed: 2 } }),
    );
    // Another campaign's push changes nothing.
    socket.push('campaign:updated', makeCampaign({ id: 'other', name: 'Other' }));
    fixture.detectChanges();
    expect(text('completed')).toBe('2');
    backend.expectOne(`/api/campaigns/${ID}/stats`).flush(stats({ answerRate: 0.5 }));
    backend
      .expectOne((req) => req.url === `/api/campaigns/${ID}/contacts`)
      .flush({ items: [], nextCursor: null });
    socket.push(
      'campaign:updated',
      makeCampaign({ progress: { ...makeCampaign().progress, completed: 3 } }),
    );
    fixture.detectChanges();
    expect(text('completed')).toBe('3');
    backend.expectNone(`/api/campaigns/${ID}/stats`);
    vi.advanceTimersByTime(LIVE_REFRESH_MS);
    backend.expectOne(`/api/campaigns/${ID}/stats`).flush(stats());
    backend
      .expectOne((req) => req.url === `/api/campaigns/${ID}/contacts`)
      .flush({ items: [], nextCursor: null });
  });

  it('pauses, and says why a campaign is paused (the wallet)', () => {
    flushFirstLoad();
    (page.querySelector('[data-testid="campaign-pause"]') as HTMLButtonElement).click();
    const pause = backend.expectOne(`/api/campaigns/${ID}/pause`);
    expect(pause.request.method).toBe('POST');
    pause.flush(makeCampaign({ status: 'paused', pauseReason: 'manual' }));
    fixture.detectChanges();
    expect(text('campaign-pause-reason')).toContain('Paused by an admin');
    expect(page.querySelector('[data-testid="campaign-resume"]')).not.toBeNull();
    backend.expectOne(`/api/campaigns/${ID}/stats`).flush(stats());
    backend
      .expectOne((req) => req.url === `/api/campaigns/${ID}/contacts`)
      .flush({ items: [], nextCursor: null });

    socket.push('campaign:updated', makeCampaign({ status: 'paused', pauseReason: 'wallet' }));
    fixture.detectChanges();
    expect(text('campaign-pause-reason')).toContain('the wallet cannot hold one more call');
    vi.advanceTimersByTime(LIVE_REFRESH_MS);
    backend
      .match(() => true)
      .forEach((req) =>
        req.flush(req.request.url.endsWith('stats') ? stats() : { items: [], nextCursor: null }),
      );
  });

  it('a draft offers Start and no export', () => {
    flushFirstLoad(
      makeCampaign({ status: 'draft', progress: { ...makeCampaign().progress, total: 0 } }),
    );
    expect(page.querySelector('[data-testid="campaign-start"]')).not.toBeNull();
    expect(
      (page.querySelector('[data-testid="campaign-export"]') as HTMLButtonElement).disabled,
    ).toBe(true);
  });
});
