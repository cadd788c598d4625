import { Subject } from 'rxjs';
import { HttpEventType, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';

import { TOKEN_STORAGE_KEY } from '../../core/auth/auth-service';
import { ImportReport } from '../../core/contacts/contact';
import { RealtimeService } from '../../core/realtime/realtime-service';
import { FakeSocket, FakeSockets } from '../../testing';
import { guessMapping, importReportCsv, parseCsvLine, readCsvHeader } from './contact-csv';
import { ImportContactsDialog } from './import-contacts-dialog';

const CSV = 'Full Name,Mobile,E-mail,Company\r\nAsha Rao,415 555 0100,a@x.co,Northwind\r\n';

const REPORT: ImportReport = {
  id: 'i1',
  rows: 3,
  created: 1,
  updated: 1,
  skipped: 1,
  problems: 1,
  truncated: false,
  reportUrl: '/api/contacts/imports/i1/report.csv',
  columns: { name: 'Full Name', phone: 'Mobile' },
  results: [
    { line: 2, outcome: 'created', contactId: 'c1' },
    { line: 3, outcome: 'updated', contactId: 'c2' },
    { line: 4, outcome: 'skipped', reason: '"12" is not a valid phone number' },
  ],
};

describe('contact CSV helpers', () => {
  it('reads the header row, quotes included', async () => {
    expect(parseCsvLine('"Name, full",Phone,"Say ""hi"""')).toEqual([
      'Name, full',
      'Phone',
      'Say "hi"',
    ]);
    expect(await readCsvHeader(new Blob(['\uFEFF' + CSV]))).toEqual([
      'Full Name',
      'Mobile',
      'E-mail',
      'Company',
    ]);
  });

  it('guesses the columns', () => {
    expect(guessMapping(['Full Name', 'Mobile', 'E-mail', 'Company', 'Labels'])).toEqual({
      name: 'Full Name',
      phone: 'Mobile',
      email: 'E-mail',
      company: 'Company',
      tags: 'Labels',
    });
  });

  it('builds the report CSV, quoting and neutralizing formulas', () => {
    const csv = importReportCsv({
      ...REPORT,
      results: [...REPORT.results, { line: 5, outcome: 'skipped', reason: '=cmd, "x"' }],
    });
    expect(csv.split('\r\n')).toEqual([
      'line,outcome,contact_id,reason',
      '2,created,c1,',
      '3,updated,c2,',
      '4,skipped,,"""12"" is not a valid phone number"',
      `5,skipped,,"'=cmd, ""x"""`,
      '',
    ]);
  });
});

describe('ImportContactsDialog', () => {
  let fixture: ComponentFixture<ImportContactsDialog>;
  let dialog: ImportContactsDialog;
  let backend: HttpTestingController;
  let socket: FakeSocket;
  let page: HTMLElement;
  let keydowns: Subject<KeyboardEvent>;
  let backdropClicks: Subject<MouseEvent>;
  const dialogRef = {
    close: vi.fn(),
    disableClose: false,
    keydownEvents: () => keydowns,
    backdropClick: () => backdropClicks,
  };

  beforeEach(async () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt');
    dialogRef.close.mockReset();
    keydowns = new Subject();
    backdropClicks = new Subject();
    const sockets = new FakeSockets();
    TestBed.configureTestingModule({
      imports: [ImportContactsDialog],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        sockets.provider,
        { provide: MatDialogRef, useValue: dialogRef },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(RealtimeService).start();
    socket = sockets.last;
    socket.accept();
    fixture = TestBed.createComponent(ImportContactsDialog);
    dialog = fixture.componentInstance;
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => {
    backend.verify();
    localStorage.clear();
  });

  const text = (id: string) => page.querySelector(`[data-testid="${id}"]`)?.textContent?.trim();

  async function chooseAndStart() {
    await dialog.choose(new File([CSV], 'people.csv', { type: 'text/csv' }));
    await fixture.whenStable();
    expect(page.querySelector('[data-testid="import-dialog"]')!.getAttribute('data-step')).toBe(
      'map',
    );
    page.querySelector<HTMLButtonElement>('[data-testid="import-start"]')!.click();
    await fixture.whenStable();
    const request = backend.expectOne((req) => req.url === '/api/contacts/import');
    return request;
  }

  it('uploads the raw CSV with the mapping and shows the upload and server progress', async () => {
    const request = await chooseAndStart();
    expect(request.request.headers.get('Content-Type')).toBe('text/csv');
    expect(request.request.body).toBeInstanceOf(File);
    expect(request.request.params.get('nameColumn')).toBe('Full Name');
    expect(request.request.params.get('phoneColumn')).toBe('Mobile');
    expect(request.request.params.get('emailColumn')).toBe('E-mail');
    // Escape and the backdrop do not abandon an upload.
    keydowns.next(new KeyboardEvent('keydown', { key: 'Escape' }));
    backdropClicks.next(new MouseEvent('click'));
    expect(dialogRef.close).not.toHaveBeenCalled();

    request.event({ type: HttpEventType.UploadProgress, loaded: 40, total: 100 });
    await fixture.whenStable();
    expect(text('import-upload-percent')).toBe('40%');

    socket.push('contacts:import-progress', { rows: 1000, created: 990, updated: 4, skipped: 6 });
    await fixture.whenStable();
    expect(text('import-server-progress')).toContain('Processed 1,000 rows');
    expect(text('import-server-progress')).toContain('6 skipped');

    request.flush(REPORT);
  });

  it('renders the report: totals, the skipped rows, and closes with it', async () => {
    const request = await chooseAndStart();
    request.flush(REPORT);
    await fixture.whenStable();
    expect(text('import-rows')).toBe('3');
    expect(text('import-created')).toBe('1');
    expect(text('import-updated')).toBe('1');
    expect(text('import-skipped')).toBe('1');
    page.querySelector<HTMLButtonElement>('[data-testid="import-done"]')!.click();
    expect(dialogRef.close).toHaveBeenCalledWith(REPORT);
  });

  it('lists the skipped rows and the imported rows that left something out', async () => {
    const request = await chooseAndStart();
    request.flush({
      ...REPORT,
      rows: 4,
      created: 2,
      results: [
        ...REPORT.results,
        {
          line: 5,
          outcome: 'created',
          contactId: 'c3',
          reason: 'email "not-an-email" is not valid: imported without it',
        },
      ],
    });
    await fixture.whenStable();
    expect(page.querySelector('.section-title')?.textContent).toBe('Rows to check');
    // The list is virtual (jsdom lays nothing out): read what it is given.
    const rowsToCheck = (dialog as unknown as { rowsToCheck: () => { line: number }[] })
      .rowsToCheck()
      .map((row) => row.line);
    expect(rowsToCheck).toEqual([4, 5]);
  });

  it('says when the answer holds only the first problem rows, and downloads the full report from the server', async () => {
    const request = await chooseAndStart();
    request.flush({ ...REPORT, rows: 5000, skipped: 4000, problems: 4000, truncated: true });
    await fixture.whenStable();
    expect(text('import-truncated')).toContain('The first 3 of 4,000 rows to check');
    URL.createObjectURL = vi.fn(() => 'blob:report');
    URL.revokeObjectURL = vi.fn();
    page.querySelector<HTMLButtonElement>('[data-testid="import-download-report"]')!.click();
    const download = backend.expectOne(REPORT.reportUrl);
    expect(download.request.method).toBe('GET');
    download.flush(new Blob(['line,outcome,contact_id,reason\r\n']));
  });

  it('closes with the report however it is left once the import is done: Escape or the backdrop', async () => {
    const request = await chooseAndStart();
    request.flush(REPORT);
    await fixture.whenStable();
    keydowns.next(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(dialogRef.close).toHaveBeenLastCalledWith(REPORT);
    backdropClicks.next(new MouseEvent('click'));
    expect(dialogRef.close).toHaveBeenCalledTimes(2);
    expect(dialogRef.close).toHaveBeenLastCalledWith(REPORT);
  });

  it('shows a refused file and lets the user try again', async () => {
    const request = await chooseAndStart();
    request.flush(
      { statusCode: 400, message: 'No phone column: name one with phoneColumn' },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    expect(text('import-error')).toContain('No phone column');
    expect(page.querySelector('[data-testid="import-start"]')).not.toBeNull();
  });
});
