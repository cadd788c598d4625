import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Provider, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { AuthService, TOKEN_STORAGE_KEY } from '../../core/auth/auth-service';
import { Role } from '../../core/auth/user';
import { CallDetail } from '../../core/calls/call';
import { VoiceSession } from '../../core/voice/voice-session';
import { makeCall, makeUser } from '../../testing';
import { CallHistory } from './call-history';

describe('CallHistory', () => {
  let backend: HttpTestingController;
  let harness: RouterTestingHarness;

  async function render(role: Role, url = '/history', providers: Provider[] = []): Promise<void> {
    localStorage.clear();
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt');
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'history', component: CallHistory }]),
        provideHttpClient(),
        provideHttpClientTesting(),
        ...providers,
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(AuthService).loadMe().subscribe();
    backend.expectOne('/api/auth/me').flush(makeUser({ role }));
    harness = await RouterTestingHarness.create(url);
    if (role !== 'agent') backend.expectOne('/api/users').flush({ items: [makeUser()] });
  }

  afterEach(() => {
    backend.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((el) => (el.innerHTML = ''));
  });

  const page = () => harness.routeNativeElement!;
  const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const listRequest = () => backend.expectOne((req) => req.url === '/api/calls');

  async function respond(calls = [makeCall()], nextCursor: string | null = null) {
    listRequest().flush({ items: calls, nextCursor });
    await harness.fixture.whenStable();
  }

  it('shows the empty state with a way to place the first call', async () => {
    await render('admin');
    expect(byTestId('history-loading')).not.toBeNull();

    await respond([]);

    expect(byTestId('history-empty')?.textContent).toContain('No calls yet');
    expect(byTestId('history-empty-initiate')).not.toBeNull();
    expect(byTestId('history-table')).toBeNull();
  });

  it('lists calls with their status, duration and cost; agents see no agent column', async () => {
    await render('agent');
    await respond([makeCall({ durationSeconds: 75, costMicros: '1234500' })]);

    const row = byTestId('call-row')!;
    expect(row.querySelector('[data-testid="call-status-chip"]')?.textContent).toContain(
      'Completed',
    );
    expect(row.querySelector('[data-testid="call-duration"]')?.textContent?.trim()).toBe('1:15');
    expect(row.querySelector('[data-testid="call-cost"]')?.textContent?.trim()).toBe('$1.2345');
    expect(page().querySelector('th.mat-column-agent')).toBeNull();
  });

  it('loads the filters named in the URL', async () => {
    await render('admin', '/history?status=busy,no_answer&q=415');

    const req = listRequest();
    expect(req.request.params.get('status')).toBe('busy,no_answer');
    expect(req.request.params.get('q')).toBe('415');
    req.flush({ items: [], nextCursor: null });
    await harness.fixture.whenStable();

    expect(byTestId('history-no-match')).not.toBeNull();
  });

  it('opens the clicked call in the detail panel, with its timeline explained', async () => {
    await render('admin');
    const call = makeCall();
    await respond([call]);

    byTestId('call-row')!.click();
    await harness.fixture.whenStable();
    expect(TestBed.inject(Router).url).toBe(`/history?call=${call.id}`);

    const detail: CallDetail = {
      ...call,
      timeline: [
        {
          id: 'e1',
          rawStatus: 'ringing',
          status: 'ringing',
          applied: true,
          outcome: 'applied',
          sequence: null,
          facts: {},
          occurredAt: '2026-11-21T21:33:18.900Z',
          receivedAt: '2026-11-21T21:33:18.963Z',
        },
        {
          id: 'e2',
          rawStatus: 'ringing',
          status: 'ringing',
          applied: false,
          outcome: 'same_status',
          sequence: null,
          facts: {},
          occurredAt: '2026-11-21T21:33:18.900Z',
          receivedAt: '2026-11-21T21:33:19.010Z',
        },
        {
          id: 'e3',
          rawStatus: 'completed',
          status: 'completed',
          applied: true,
          outcome: 'applied+enriched',
          sequence: null,
          facts: { durationSeconds: 20, hangupReason: 'Normal hangup' },
          occurredAt: '2026-11-21T21:33:21.200Z',
          receivedAt: '2026-11-21T21:33:21.247Z',
        },
      ],
    };
    backend.expectOne(`/api/calls/${call.id}`).flush(detail);
    await harness.fixture.whenStable();

    expect(byTestId('call-detail-number')?.textContent).toContain('+14155550100');
    const outcomes = Array.from(
      document.querySelectorAll('[data-testid="timeline-outcome"]'),
      (el) => el.textContent!.trim(),
    );
    expect(outcomes).toEqual([
      'Applied',
      'No change – already in this status',
      'Applied + facts added',
    ]);
    expect(byTestId('call-timeline')?.textContent).toContain('Normal hangup');
  });

  it("shows the call's outcome: a player on Switchboard's signed URL, the summary, transcript turns and extracted data; Finalizing… until final", async () => {
    await render('admin');
    const call = makeCall({ hasRecording: true, hasTranscript: true });
    await respond([call]);
    // The row says the call has a recording and a transcript.
    expect(byTestId('call-has-recording')).not.toBeNull();
    expect(byTestId('call-has-transcript')).not.toBeNull();
    byTestId('call-row')!.click();
    await harness.fixture.whenStable();

    const signed = `/api/recordings/${call.id}?expires=1900000000&signature=abc`;
    const detail: CallDetail = {
      ...call,
      timeline: [],
      final: false,
      recording: {
        url: signed,
        urlExpiresAt: '2030-03-17T17:46:40.000Z',
        durationSeconds: 20,
        contentType: 'audio/wav',
        sizeBytes: 320044,
        status: 'stored',
        attempts: 1,
        error: null,
        expiredAt: null,
        retentionDays: null,
      },
      transcript: [
        { speaker: 'agent', text: 'Hello, is this a good time?', startSeconds: 0 },
        { speaker: 'callee', text: 'Yes, go ahead.', startSeconds: 4.5 },
      ],
      summary: 'The callee asked for an SMS reminder.',
      extractedData: { wants_sms_reminder: true, delivery_window: 'tomorrow' },
      hangupBy: 'callee',
    };
    backend.expectOne(`/api/calls/${call.id}`).flush(detail);
    await harness.fixture.whenStable();

    expect(byTestId('call-detail-audio')?.getAttribute('src')).toBe(signed);
    expect(byTestId('call-detail-recording-download')?.getAttribute('href')).toBe(
      `${signed}&download=1`,
    );
    expect(byTestId('call-detail-summary')?.textContent).toContain('SMS reminder');
    const turns = Array.from(document.querySelectorAll('[data-testid="transcript-turn"]'), (el) =>
      el.textContent!.replace(/\s+/g, ' ').trim(),
    );
    expect(turns).toEqual(['Agent 0:00 Hello, is this a good time?', 'Callee 0:04 Yes, go ahead.']);
    expect(byTestId('call-detail-extracted')?.textContent).toContain('Wants sms reminder');
    expect(byTestId('call-detail-hangup-by')?.textContent).toContain('callee');
    expect(byTestId('call-detail-finalizing')).not.toBeNull();
  });

  async function openDetail(
    call = makeCall(),
    role: Role = 'agent',
    providers: Provider[] = [],
  ): Promise<void> {
    await render(role, `/history?call=${call.id}`, providers);
    await respond([call]);
    backend.expectOne(`/api/calls/${call.id}`).flush({ ...call, timeline: [] });
    await harness.fixture.whenStable();
  }

  function typeInto(id: string, value: string): void {
    const input = byTestId(id) as HTMLInputElement | HTMLTextAreaElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  it('searches names and words as typed (the API looks in names and transcripts)', async () => {
    await render('admin', '/history?q=Asha%20Rao');
    const req = listRequest();
    expect(req.request.params.get('q')).toBe('Asha Rao');
    req.flush({ items: [], nextCursor: null });
    await harness.fixture.whenStable();
    expect((byTestId('history-filter-search') as HTMLInputElement).value).toBe('Asha Rao');
  });

  it('edits the note and disposition of an ended call from its panel, refusing a note that is too long', async () => {
    const call = makeCall({ status: 'completed', note: 'First try', disposition: 'callback' });
    await openDetail(call);
    expect(byTestId('call-detail-note')?.textContent).toContain('First try');

    byTestId('call-detail-note-edit')!.click();
    await harness.fixture.whenStable();
    typeInto('call-detail-note-input', 'x'.repeat(2001));
    await harness.fixture.whenStable();
    byTestId('call-detail-note-save')!.click();
    await harness.fixture.whenStable();
    expect(byTestId('call-detail-note-length-error')?.textContent).toContain(
      'at most 2,000 characters',
    );
    backend.expectNone(`/api/calls/${call.id}`);

    typeInto('call-detail-note-input', '  Wants a quote  ');
    await harness.fixture.whenStable();
    byTestId('call-detail-note-save')!.click();
    const patch = backend.expectOne(
      (req) => req.method === 'PATCH' && req.url === `/api/calls/${call.id}`,
    );
    expect(patch.request.body).toEqual({ disposition: 'callback', note: 'Wants a quote' });
    patch.flush({ ...call, note: 'Wants a quote' });
    await harness.fixture.whenStable();
    backend
      .expectOne(`/api/calls/${call.id}`)
      .flush({ ...call, note: 'Wants a quote', timeline: [] });
    await harness.fixture.whenStable();
    expect(byTestId('call-detail-note')?.textContent).toContain('Wants a quote');
  });

  it('calls back from the panel: the dialer opens with the other party’s number', async () => {
    const call = makeCall({ status: 'completed', direction: 'inbound', from: '+442071838750' });
    await openDetail(call);
    const button = byTestId('call-detail-call-back') as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    button.click();
    expect(navigate).toHaveBeenCalledWith(['/dialer'], {
      queryParams: { to: '+442071838750' },
    });
  });

  it('refuses to call back while a call is live', async () => {
    await openDetail(makeCall({ status: 'completed' }), 'agent', [
      { provide: VoiceSession, useValue: { busy: signal(true) } },
    ]);
    const button = byTestId('call-detail-call-back') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
  });
});
