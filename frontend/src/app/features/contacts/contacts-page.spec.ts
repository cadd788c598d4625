import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';

import { makeContact } from '../../testing';
import { ContactFormDialog, existingContactFrom } from './contact-form-dialog';
import { ContactsPage, SEARCH_DEBOUNCE_MS } from './contacts-page';

const asha = makeContact();
const ben = makeContact({
  id: '1f0c3a7e-2b44-4d6e-9a1b-5c2d3e4f5a6b',
  name: 'Ben Carter',
  phone: '+14155550101',
  company: null,
  tags: [],
});

describe('ContactsPage', () => {
  let fixture: ComponentFixture<ContactsPage>;
  let backend: HttpTestingController;
  let page: HTMLElement;

  beforeEach(async () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    TestBed.configureTestingModule({
      imports: [ContactsPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ContactsPage);
    page = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
  });

  afterEach(() => {
    backend.verify();
    vi.useRealTimers();
  });

  const list = () => backend.expectOne((req) => req.url === '/api/contacts');
  const names = () =>
    Array.from(page.querySelectorAll('[data-testid="contact-name"]')).map((e) =>
      e.textContent!.trim(),
    );

  it('lists contacts with formatted numbers and tags', async () => {
    list().flush({ items: [asha, ben], nextCursor: null });
    fixture.detectChanges();
    expect(names()).toEqual(['Asha Rao', 'Ben Carter']);
    expect(page.querySelector('[data-testid="contact-phone"]')!.textContent).toContain(
      '+1 415-555-0100',
    );
    expect(page.querySelector('[data-testid="contacts-count"]')!.textContent).toContain(
      '2 contacts',
    );
  });

  it('searches as you type, once the typing pauses', async () => {
    list().flush({ items: [asha, ben], nextCursor: null });
    fixture.detectChanges();
    const input = page.querySelector<HTMLInputElement>('[data-testid="contacts-search"]')!;
    for (const text of ['B', 'Be', 'Ben']) {
      input.value = text;
      input.dispatchEvent(new Event('input'));
      vi.advanceTimersByTime(100);
    }
    backend.expectNone((req) => req.url === '/api/contacts');
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    const request = list();
    expect(request.request.params.get('q')).toBe('Ben');
    request.flush({ items: [ben], nextCursor: null });
    fixture.detectChanges();
    expect(names()).toEqual(['Ben Carter']);
  });

  it('loads more with the cursor', async () => {
    list().flush({ items: [asha], nextCursor: 'c1' });
    fixture.detectChanges();
    page.querySelector<HTMLButtonElement>('[data-testid="contacts-load-more"]')!.click();
    const more = list();
    expect(more.request.params.get('cursor')).toBe('c1');
    more.flush({ items: [ben], nextCursor: null });
    fixture.detectChanges();
    expect(names()).toEqual(['Asha Rao', 'Ben Carter']);
    expect(page.querySelector('[data-testid="contacts-load-more"]')).toBeNull();
  });

  it('shows the empty state', async () => {
    list().flush({ items: [], nextCursor: null });
    fixture.detectChanges();
    expect(page.querySelector('[data-testid="contacts-empty"]')).not.toBeNull();
  });
});

describe('ContactFormDialog', () => {
  let fixture: ComponentFixture<ContactFormDialog>;
  let backend: HttpTestingController;
  let page: HTMLElement;
  const dialogRef = { close: vi.fn() };

  beforeEach(async () => {
    dialogRef.close.mockReset();
    TestBed.configureTestingModule({
      imports: [ContactFormDialog],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MatDialogRef, useValue: dialogRef },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ContactFormDialog);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  function type(id: string, value: string): void {
    const input = page.querySelector<HTMLInputElement>(`[data-testid="${id}"]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  async function save(): Promise<void> {
    page.querySelector<HTMLButtonElement>('[data-testid="contact-form-save"]')!.click();
    await fixture.whenStable();
  }

  it('reads the existing contact from a 409 message', () => {
    expect(
      existingContactFrom(
        '+14155550100 already belongs to contact "Asha Rao" (9a1e6f0c-6a43-4c1f-8f0e-3c6f4f8f2a01)',
      ),
    ).toEqual({ name: 'Asha Rao', id: '9a1e6f0c-6a43-4c1f-8f0e-3c6f4f8f2a01' });
    expect(existingContactFrom('Conflict')).toBeNull();
  });

  it('creates a contact and closes with it', async () => {
    type('contact-form-name', 'Nia Okafor');
    type('contact-form-phone', '(415) 555-0199');
    await save();
    const request = backend.expectOne('/api/contacts');
    expect(request.request.body).toEqual({ name: 'Nia Okafor', phone: '(415) 555-0199', tags: [] });
    const saved = makeContact({ name: 'Nia Okafor', phone: '+14155550199' });
    request.flush(saved);
    expect(dialogRef.close).toHaveBeenCalledWith({ saved });
  });

  it('shows a 409 on the phone field with a link to the existing contact', async () => {
    type('contact-form-name', 'Asha R.');
    type('contact-form-phone', '415 555 0100');
    await save();
    backend.expectOne('/api/contacts').flush(
      {
        statusCode: 409,
        message: `+14155550100 already belongs to contact "Asha Rao" (${asha.id})`,
      },
      { status: 409, statusText: 'Conflict' },
    );
    await fixture.whenStable();
    expect(page.querySelector('[data-testid="contact-form-phone-error"]')!.textContent).toBe(
      'This number is already taken.',
    );
    const duplicate = page.querySelector('[data-testid="contact-form-duplicate"]')!.textContent!;
    expect(duplicate).toContain('This number already belongs to Asha Rao.');
    expect(duplicate).not.toContain(asha.id);
    page.querySelector<HTMLButtonElement>('[data-testid="contact-form-open-existing"]')!.click();
    expect(dialogRef.close).toHaveBeenCalledWith({ openExisting: asha.id });
  });

  it('puts a 400 on the field it names', async () => {
    type('contact-form-name', 'Someone');
    type('contact-form-phone', '415 555 0100');
    type('contact-form-email', 'a@b.co');
    await save();
    backend
      .expectOne('/api/contacts')
      .flush(
        { statusCode: 400, message: ['email must be a valid email address'] },
        { status: 400, statusText: 'Bad Request' },
      );
    await fixture.whenStable();
    const errors = Array.from(page.querySelectorAll('mat-error')).map((e) => e.textContent!.trim());
    expect(errors).toEqual(['email must be a valid email address']);
  });

  it('says next to the field why a 200+ character name cannot be saved, and focuses it', async () => {
    type('contact-form-name', 'A'.repeat(201));
    type('contact-form-phone', '415 555 0100');
    await save();
    await new Promise((resolve) => setTimeout(resolve));
    expect(page.querySelector('[data-testid="contact-form-name-error"]')?.textContent).toMatch(
      /A name can be at most 200 characters; this one has\s+201\./,
    );
    expect(document.activeElement).toBe(page.querySelector('[data-testid="contact-form-name"]'));
    backend.expectNone('/api/contacts');
  });
});
