import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import { of } from 'rxjs';

import { WebhookEventView } from './webhook-events-api';
import { WebhookEventsPage } from './webhook-events-page';

function makeEvent(overrides: Partial<WebhookEventView> = {}): WebhookEventView {
  return {
    id: '0e4d05fc-7c83-4879-9719-d474a8b44371',
    provider: 'simulator',
    source: 'webhook',
    dedupeKey: 'msg_SIM1_completed',
    state: 'processed',
    attempts: 1,
    lastError: null,
    receivedAt: '2026-11-21T21:33:21.247Z',
    processedAt: '2026-11-21T21:33:21.262Z',
    callId: '5708fb09-f909-4626-a386-61c7792ab14a',
    contentType: 'application/json',
    rawBody: '{"id":"msg_SIM1_completed","status":"completed"}',
    headers: { 'content-type': 'application/json', 'webhook-signature': '[redacted]' },
    ...overrides,
  };
}

describe('WebhookEventsPage', () => {
  let fixture: ComponentFixture<WebhookEventsPage>;
  let backend: HttpTestingController;
  let page: HTMLElement;
  let confirmAnswer: boolean;
  let snackMessages: string[];

  const processed = makeEvent();
  const dead = makeEvent({
    id: '9ea6f7a8-5cca-4580-8180-9667630a93bf',
    dedupeKey: 'msg_SIM2_ringing',
    state: 'dead',
    attempts: 5,
    lastError: 'Call SIM2 not found',
    processedAt: null,
  });

  beforeEach(async () => {
    confirmAnswer = true;
    snackMessages = [];
    TestBed.configureTestingModule({
      imports: [WebhookEventsPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    backend = TestBed.inject(HttpTestingController);
    const dialog = TestBed.inject(MatDialog);
    vi.spyOn(dialog, 'open').mockImplementation(
      () => ({ afterClosed: () => of(confirmAnswer) }) as ReturnType<MatDialog['open']>,
    );
    vi.spyOn(TestBed.inject(MatSnackBar), 'open').mockImplementation((message: string) => {
      snackMessages.push(message);
      return {} as ReturnType<MatSnackBar['open']>;
    });

    fixture = TestBed.createComponent(WebhookEventsPage);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  async function respondWith(items: WebhookEventView[], nextCursor: string | null = null) {
    backend
      .expectOne((req) => req.url === '/api/admin/webhook-events')
      .flush({ items, nextCursor });
    await fixture.whenStable();
  }

  const row = (id: string) => page.querySelector<HTMLElement>(`[data-event-id="${id}"]`)!;
  const replayButton = (id: string) =>
    row(id).querySelector<HTMLButtonElement>('[data-testid="webhook-replay"]');

  it('lists the events with their state, and offers replay only where it can work', async () => {
    await respondWith([processed, dead]);

    expect(page.querySelectorAll('[data-testid="webhook-row"]')).toHaveLength(2);
    expect(row(dead.id).querySelector('[data-testid="webhook-state"]')?.textContent).toContain(
      'Dead',
    );
    expect(row(dead.id).textContent).toContain('Call SIM2 not found');
    expect(replayButton(dead.id)).not.toBeNull();
    expect(replayButton(processed.id)).toBeNull();
  });

  it('shows the body and headers of an event when its row is opened', async () => {
    await respondWith([processed]);

    row(processed.id).click();
    await fixture.whenStable();

    expect(page.querySelector('[data-testid="webhook-body"]')?.textContent).toContain(
      '"status": "completed"',
    );
    expect(page.querySelector('[data-testid="webhook-headers"]')?.textContent).toContain(
      'webhook-signature: [redacted]',
    );
  });

  it('replays a dead event after confirmation and updates its row', async () => {
    await respondWith([processed, dead]);

    replayButton(dead.id)!.click();
    const req = backend.expectOne(`/api/admin/webhook-events/${dead.id}/replay`);
    expect(req.request.method).toBe('POST');
    req.flush(
      { ...dead, state: 'received', lastError: null },
      { status: 202, statusText: 'Accepted' },
    );
    await fixture.whenStable();

    expect(row(dead.id).getAttribute('data-state')).toBe('received');
    expect(row(dead.id).querySelector('[data-testid="webhook-state"]')?.textContent).toContain(
      'Received',
    );
    expect(snackMessages).toEqual(['The event is queued for processing again']);
  });

  it('shows the server’s reason when a replay is refused', async () => {
    await respondWith([dead]);

    replayButton(dead.id)!.click();
    backend
      .expectOne(`/api/admin/webhook-events/${dead.id}/replay`)
      .flush(
        { statusCode: 409, error: 'Conflict', message: 'This event was already processed' },
        { status: 409, statusText: 'Conflict' },
      );
    await fixture.whenStable();

    expect(snackMessages).toEqual(['This event was already processed']);
    expect(row(dead.id).getAttribute('data-state')).toBe('dead');
  });

  it('does nothing when the replay is not confirmed', async () => {
    await respondWith([dead]);
    confirmAnswer = false;

    replayButton(dead.id)!.click();

    backend.expectNone(`/api/admin/webhook-events/${dead.id}/replay`);
  });

  it('loads more events with the cursor', async () => {
    await respondWith([processed], 'cursor-1');

    page.querySelector<HTMLButtonElement>('[data-testid="webhook-load-more"]')!.click();
    const more = backend.expectOne((req) => req.url === '/api/admin/webhook-events');
    expect(more.request.params.get('cursor')).toBe('cursor-1');
    more.flush({ items: [dead], nextCursor: null });
    await fixture.whenStable();
    expect(page.querySelectorAll('[data-testid="webhook-row"]')).toHaveLength(2);
    expect(page.querySelector('[data-testid="webhook-load-more"]')).toBeNull();
  });

  it('says so when there are no events', async () => {
    await respondWith([]);

    expect(page.querySelector('[data-testid="webhook-empty"]')?.textContent).toContain(
      'No webhook events',
    );
  });
});
