import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  TestRequest,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { TOKEN_STORAGE_KEY } from '../../core/auth/auth-service';
import { BillingSummary, SummaryGroup } from '../../core/billing/billing';
import { RealtimeService } from '../../core/realtime/realtime-service';
import { ChartCanvas } from '../../shared/chart/chart-canvas';
import { BlankPage, FakeSocket, FakeSockets, makeCall } from '../../testing';
import { BillingOverview, LIVE_RELOAD_DELAY_MS } from './billing-overview';

@Component({ selector: 'sb-chart', template: '', changeDetection: ChangeDetectionStrategy.OnPush })
class FakeChart {
  readonly config = input.required<unknown>();
  readonly label = input.required<string>();
}

function summary(groupBy: SummaryGroup, calls: number): BillingSummary {
  const figures = {
    calls,
    answered: calls,
    answerRate: 1,
    billableSeconds: calls * 30,
    minutes: calls / 2,
    averageDurationSeconds: 30,
    spendMicros: String(calls * 6500),
    spend: '0',
  };
  return {
    from: '2026-11-21T00:00:00.000Z',
    to: '2026-11-22T00:00:00.000Z',
    groupBy,
    currency: 'USD',
    timeZone: 'UTC',
    totals: figures,
    groups: [],
  };
}

describe('BillingOverview', () => {
  let backend: HttpTestingController;
  let socket: FakeSocket;

  const summaries = (): TestRequest[] => backend.match((req) => req.url === '/api/billing/summary');
  const flush = (requests: TestRequest[], calls: number) => {
    expect(requests.map((req) => req.request.params.get('groupBy')).sort()).toEqual([
      'day',
      'provider',
    ]);
    for (const req of requests) {
      req.flush(summary(req.request.params.get('groupBy') as SummaryGroup, calls));
    }
  };

  beforeEach(async () => {
    vi.useFakeTimers();
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt');
    const sockets = new FakeSockets();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: '**', component: BlankPage }]),
        provideHttpClient(),
        provideHttpClientTesting(),
        sockets.provider,
      ],
    });
    TestBed.overrideComponent(BillingOverview, {
      remove: { imports: [ChartCanvas] },
      add: { imports: [FakeChart] },
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(RealtimeService).start();
    socket = sockets.last;
    socket.accept();
    const fixture = TestBed.createComponent(BillingOverview);
    fixture.detectChanges();
    await vi.advanceTimersByTimeAsync(0);
    flush(summaries(), 1);
  });

  afterEach(() => {
    backend.verify();
    localStorage.clear();
    vi.useRealTimers();
  });

  it('reads the summary again a moment after a call ends, once for a burst of changes', () => {
    socket.push('call:updated', makeCall({ status: 'in_progress' }));
    vi.advanceTimersByTime(LIVE_RELOAD_DELAY_MS);
    expect(summaries()).toEqual([]); // a call still in progress costs nothing yet

    socket.push('call:updated', makeCall({ status: 'completed' }));
    socket.push('wallet:updated', { balanceMicros: '1', heldMicros: '0', availableMicros: '1' });
    vi.advanceTimersByTime(LIVE_RELOAD_DELAY_MS - 1);
    expect(summaries()).toEqual([]);

    vi.advanceTimersByTime(1);
    flush(summaries(), 2);
  });

  it('reads it again after a reconnection that missed events', () => {
    socket.drop();
    socket.accept(false);
    vi.advanceTimersByTime(LIVE_RELOAD_DELAY_MS);
    flush(summaries(), 2);
  });
});
