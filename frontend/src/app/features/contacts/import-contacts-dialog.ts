import { DOCUMENT } from '@angular/common';
import { HttpEventType } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  signal,
} from '@angular/core';
import { ScrollingModule } from '@angular/cdk/scrolling';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { filter, Subscription } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import {
  ContactImportProgress,
  IMPORT_FIELDS,
  ImportField,
  ImportMapping,
  ImportReport,
} from '../../core/contacts/contact';
import { ContactsApi } from '../../core/contacts/contacts-api';
import { RealtimeService } from '../../core/realtime/realtime-service';
import { saveFile } from '../../shared/save-file/save-file';
import { guessMapping, importReportCsv, readCsvHeader } from './contact-csv';
import { IntlNumberPipe } from '../../shared/format/intl-format';

export type ImportStep = 'pick' | 'map' | 'uploading' | 'report';

export const FIELD_LABELS: Readonly<Record<ImportField, string>> = {
  name: 'Name',
  phone: 'Phone',
  email: 'Email',
  company: 'Company',
  tags: 'Tags',
  notes: 'Notes',
};

/** Bigger files are refused before upload. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/**
 * Imports contacts from a CSV file: pick or drop the file, check the column mapping (read from
 * the header row in the browser), upload with progress (the upload's own, then the server's
 * per-batch progress over the socket), then the per-row report with the rows to check and a
 * downloadable CSV of it. Closes with the report when something was imported.
 */
@Component({
  selector: 'sb-import-contacts-dialog',
  imports: [
    IntlNumberPipe,
    FormsModule,
    ScrollingModule,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatProgressBarModule,
    MatSelectModule,
  ],
  templateUrl: './import-contacts-dialog.html',
  styleUrl: './import-contacts-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ImportContactsDialog {
  private readonly api = inject(ContactsApi);
  private readonly document = inject(DOCUMENT);
  private readonly dialogRef =
    inject<MatDialogRef<ImportContactsDialog, ImportReport | undefined>>(MatDialogRef);

  protected readonly fields = IMPORT_FIELDS;
  protected readonly fieldLabels = FIELD_LABELS;

  protected readonly step = signal<ImportStep>('pick');
  protected readonly file = signal<File | null>(null);
  protected readonly headers = signal<readonly string[]>([]);
  protected readonly mapping = signal<ImportMapping>({});
  protected readonly dragging = signal(false);
  protected readonly error = signal<string | null>(null);
  /** Upload progress, 0-100; null when the browser cannot tell. */
  protected readonly uploadPercent = signal<number | null>(0);
  /** The server's running totals (`contacts:import-progress`). */
  protected readonly serverProgress = signal<ContactImportProgress | null>(null);
  protected readonly report = signal<ImportReport | null>(null);

  /** Skipped rows, and imported rows that left something out (an invalid email). */
  protected readonly rowsToCheck = computed(
    () => this.report()?.results.filter((row) => row.outcome === 'skipped' || row.reason) ?? [],
  );
  protected readonly mappingComplete = computed(() => {
    const mapping = this.mapping();
    return !!mapping.phone && !!mapping.name;
  });

  private upload?: Subscription;

  constructor() {
    const destroyRef = inject(DestroyRef);
    destroyRef.onDestroy(
      inject(RealtimeService).on('contacts:import-progress', (progress) => {
        if (this.step() === 'uploading') this.serverProgress.set(progress);
      }),
    );
    destroyRef.onDestroy(() => this.upload?.unsubscribe());
    // Escape and the backdrop close through close() too, so the page learns of a finished import
    // however the dialog is left; neither closes it while the file is uploading.
    this.dialogRef.disableClose = true;
    const dismiss = () => {
      if (this.step() !== 'uploading') this.close();
    };
    const subscriptions = [
      this.dialogRef.backdropClick().subscribe(dismiss),
      this.dialogRef
        .keydownEvents()
        .pipe(filter((event) => event.key === 'Escape'))
        .subscribe(dismiss),
    ];
    destroyRef.onDestroy(() => subscriptions.forEach((subscription) => subscription.unsubscribe()));
  }

  protected onFileInput(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) void this.choose(file);
  }

  protected onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(false);
    const file = event.dataTransfer?.files?.[0];
    if (file) void this.choose(file);
  }

  protected onDragOver(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(true);
  }

  /** Reads the header row and guesses the mapping; the user may change it before importing. */
  async choose(file: File): Promise<void> {
    this.error.set(null);
    if (file.size > MAX_IMPORT_BYTES) {
      this.error.set(`The file is too large (at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB).`);
      return;
    }
    let headers: string[];
    try {
      headers = await readCsvHeader(file);
    } catch {
      this.error.set('The file could not be read.');
      return;
    }
    if (headers.length === 0) {
      this.error.set('The file is empty: a CSV file with a header row is expected.');
      return;
    }
    this.file.set(file);
    this.headers.set(headers);
    this.mapping.set(guessMapping(headers));
    this.step.set('map');
  }

  protected setColumn(field: ImportField, column: string | null): void {
    this.mapping.update((mapping) => ({ ...mapping, [field]: column ?? undefined }));
  }

  protected startOver(): void {
    this.upload?.unsubscribe();
    this.file.set(null);
    this.headers.set([]);
    this.report.set(null);
    this.serverProgress.set(null);
    this.error.set(null);
    this.step.set('pick');
  }

  /** Uploads the file with the chosen mapping. */
  start(): void {
    const file = this.file();
    if (!file) return;
    this.error.set(null);
    this.uploadPercent.set(0);
    this.serverProgress.set(null);
    this.step.set('uploading');
    this.upload = this.api.importCsv(file, this.mapping()).subscribe({
      next: (event) => {
        if (event.type === HttpEventType.UploadProgress) {
          this.uploadPercent.set(
            event.total ? Math.round((100 * event.loaded) / event.total) : null,
          );
        } else if (event.type === HttpEventType.Response && event.body) {
          this.uploadPercent.set(100);
          this.report.set(event.body);
          this.step.set('report');
        }
      },
      error: (err: unknown) => {
        this.error.set(ApiError.message(err, 'The import failed.'));
        this.step.set('map');
      },
    });
  }

  protected downloadReport(): void {
    const report = this.report();
    if (!report) return;
    if (report.truncated) {
      // The answer holds the first rows only: the server streams them all.
      this.api.importReport(report).subscribe({
        next: (file) => saveFile(this.document, file.blob, file.filename),
        error: (err: unknown) =>
          this.error.set(ApiError.message(err, 'The report could not be downloaded.')),
      });
      return;
    }
    const blob = new Blob([importReportCsv(report)], { type: 'text/csv;charset=utf-8' });
    const base = (this.file()?.name ?? 'contacts').replace(/\.csv$/i, '');
    saveFile(this.document, blob, `${base}-import-report.csv`);
  }

  close(): void {
    const report = this.report();
    this.dialogRef.close(report && report.created + report.updated > 0 ? report : undefined);
  }
}
