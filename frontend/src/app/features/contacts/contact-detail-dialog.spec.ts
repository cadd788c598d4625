import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';

import { makeCall, makeContact } from '../../testing';
import { CONTACT_RECENT_CALLS, ContactDetailDialog } from './contact-detail-dialog';

const asha = makeContact();

describe('ContactDetailDialog', () => {
  let fixture: ComponentFixture<ContactDetailDialog>;
  let backend: HttpTestingController;
  let page: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [ContactDetailDialog],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: MatDialogRef, useValue: { close: vi.fn() } },
        { provide: MAT_DIALOG_DATA, useValue: { id: asha.id } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ContactDetailDialog);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  const byTestId = (id: string) => page.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const contactRequest = () => backend.expectOne(`/api/contacts/${asha.id}`);
  const callsRequest = () => {
    const request = backend.expectOne((req) => req.url === '/api/calls');
    expect(request.request.params.get('contactId')).toBe(asha.id);
    expect(request.request.params.get('limit')).toBe(String(CONTACT_RECENT_CALLS));
    return request;
  };

  it("reads the contact's recent calls from the calls list, each a link to its history with its summary", async () => {
    contactRequest().flush(asha);
    await fixture.whenStable();
    expect(byTestId('contact-detail-name')!.textContent).toContain('Asha Rao');
    expect(byTestId('contact-detail-calls-loading')).not.toBeNull();

    const calls = [
      makeCall({
        id: 'call-2',
        contactId: asha.id,
        disposition: 'callback',
        summary: 'Asked to be called back on Monday about the renewal.',
      }),
      makeCall({ id: 'call-1', contactId: asha.id, status: 'busy' }),
    ];
    callsRequest().flush({ items: calls, nextCursor: null });
    await fixture.whenStable();
    expect(byTestId('contact-detail-calls-loading')).toBeNull();
    const links = Array.from(
      page.querySelectorAll<HTMLAnchorElement>('[data-testid="contact-detail-call"]'),
    );
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      '/history?call=call-2',
      '/history?call=call-1',
    ]);
    expect(
      Array.from(page.querySelectorAll('[data-testid="contact-detail-call-summary"]'), (summary) =>
        summary.textContent!.trim(),
      ),
    ).toEqual(['Asked to be called back on Monday about the renewal.']);
    expect(byTestId('contact-detail-calls-empty')).toBeNull();
  });

  it('says when there are no calls with the contact yet', async () => {
    callsRequest().flush({ items: [], nextCursor: null });
    contactRequest().flush(asha);
    await fixture.whenStable();
    expect(byTestId('contact-detail-calls')).toBeNull();
    expect(byTestId('contact-detail-calls-empty')!.textContent!.trim()).toBe(
      'No calls with Asha Rao yet.',
    );
  });

  it('shows why the calls could not load, and the contact still', async () => {
    contactRequest().flush(asha);
    callsRequest().flush(
      { statusCode: 503, message: 'Service unavailable' },
      { status: 503, statusText: 'Service Unavailable' },
    );
    await fixture.whenStable();
    expect(byTestId('contact-detail-name')!.textContent).toContain('Asha Rao');
    const error = byTestId('contact-detail-calls-error')!;
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent!.trim()).toBe('Service unavailable');
    expect(byTestId('contact-detail-calls-loading')).toBeNull();
    expect(byTestId('contact-detail-calls-empty')).toBeNull();
  });
});
