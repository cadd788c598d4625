import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router } from '@angular/router';
import { debounceTime, distinctUntilChanged, filter, finalize, map } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { Contact, ImportReport } from '../../core/contacts/contact';
import { ContactsApi } from '../../core/contacts/contacts-api';
import { ConfirmDialog, ConfirmDialogData } from '../../shared/confirm-dialog/confirm-dialog';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { LoadState } from '../../shared/load-state/load-state';
import { LoadMore } from '../../shared/paged-list/load-more';
import { pagedList } from '../../shared/paged-list/paged-list';
import { PhonePipe } from '../../shared/phone/phone-pipe';
import { flagEmoji } from '../../shared/phone/phone';
import { RelativeTimePipe } from '../../shared/relative-time/relative-time-pipe';
import { saveFile } from '../../shared/save-file/save-file';
import {
  ContactDetailData,
  ContactDetailDialog,
  ContactDetailResult,
} from './contact-detail-dialog';
import { ContactFormData, ContactFormDialog, ContactFormResult } from './contact-form-dialog';
import { ImportContactsDialog } from './import-contacts-dialog';

export const CONTACTS_PAGE_SIZE = 50;
export const SEARCH_DEBOUNCE_MS = 300;

/**
 * The organization's contacts: search as you type, tag filter, keyset "Load more", create/edit,
 * delete, CSV import and export, a detail dialog with recent calls, and click-to-call.
 */
@Component({
  selector: 'sb-contacts-page',
  imports: [
    ReactiveFormsModule,
    MatTableModule,
    MatButtonModule,
    MatIconModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatTooltipModule,
    EmptyState,
    LoadState,
    LoadMore,
    PhonePipe,
    RelativeTimePipe,
  ],
  templateUrl: './contacts-page.html',
  styleUrl: './contacts-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContactsPage {
  private readonly api = inject(ContactsApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly document = inject(DOCUMENT);

  protected readonly flagEmoji = flagEmoji;
  protected readonly columns = ['name', 'phone', 'company', 'tags', 'lastCalled', 'actions'];
  protected readonly search = new FormControl('', { nonNullable: true });
  protected readonly tag = new FormControl<string | null>(null);

  protected readonly list = pagedList<Contact>({
    fetch: (page) => this.api.list(this.toQuery(), page),
    pageSize: CONTACTS_PAGE_SIZE,
    errorMessage: 'Could not load the contacts.',
    moreErrorMessage: 'Could not load more contacts.',
    onPage: (items) => this.learnTags(items),
  });
  protected readonly contacts = this.list.items;
  protected readonly exporting = signal(false);
  /** Every tag seen so far, for the filter. */
  protected readonly knownTags = signal<readonly string[]>([]);
  private readonly query = signal<{ q: string; tag: string | null }>({ q: '', tag: null });
  protected readonly filtered = computed(() => !!this.query().q || !!this.query().tag);

  constructor() {
    this.search.valueChanges
      .pipe(
        map((q) => q.trim()),
        debounceTime(SEARCH_DEBOUNCE_MS),
        distinctUntilChanged(),
        takeUntilDestroyed(),
      )
      .subscribe((q) => this.setQuery({ ...this.query(), q }));
    this.tag.valueChanges
      .pipe(takeUntilDestroyed())
      .subscribe((tag) => this.setQuery({ ...this.query(), tag }));
    this.load();
  }

  protected filterByTag(tag: string): void {
    this.tag.setValue(tag);
  }

  protected clearFilters(): void {
    this.search.setValue('', { emitEvent: false });
    this.tag.setValue(null, { emitEvent: false });
    this.setQuery({ q: '', tag: null });
  }

  protected openCreate(): void {
    this.openForm({});
  }

  protected openEdit(contact: Contact): void {
    this.openForm({ contact });
  }

  protected openDetail(contact: Contact): void {
    this.dialog
      .open<ContactDetailDialog, ContactDetailData, ContactDetailResult>(ContactDetailDialog, {
        data: { id: contact.id },
        autoFocus: false,
        maxWidth: '95vw',
      })
      .afterClosed()
      .subscribe((result) => {
        if (result === 'edit') this.openEdit(contact);
        if (result === 'call') this.call(contact);
      });
  }

  /** Click-to-call: the dialer with the number filled in. */
  protected call(contact: Contact): void {
    void this.router.navigate(['/dialer'], { queryParams: { to: contact.phone } });
  }

  protected confirmDelete(contact: Contact): void {
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, {
        data: {
          title: `Delete ${contact.name}?`,
          message:
            'The contact disappears from the list and from lookups. Calls made to it keep their link.',
          confirmLabel: 'Delete',
          icon: 'delete',
          tone: 'danger',
        },
      })
      .afterClosed()
      .pipe(filter(Boolean))
      .subscribe(() =>
        this.api.remove(contact.id).subscribe({
          next: () => {
            this.list.update((list) => list.filter((c) => c.id !== contact.id));
            this.notify(`${contact.name} was deleted.`);
          },
          error: (err: unknown) =>
            this.notify(ApiError.message(err, 'Could not delete the contact.'), true),
        }),
      );
  }

  protected openImport(): void {
    this.dialog
      .open<ImportContactsDialog, void, ImportReport | undefined>(ImportContactsDialog, {
        autoFocus: false,
        maxWidth: '95vw',
      })
      .afterClosed()
      .subscribe((report) => {
        if (!report) return;
        this.notify(
          `Imported: ${report.created} created, ${report.updated} updated, ${report.skipped} skipped.`,
        );
        this.load();
      });
  }

  protected exportCsv(): void {
    this.exporting.set(true);
    this.api
      .exportCsv()
      .pipe(finalize(() => this.exporting.set(false)))
      .subscribe({
        next: (file) => saveFile(this.document, file.blob, file.filename),
        error: (err: unknown) =>
          this.notify(ApiError.message(err, 'Could not export the contacts.'), true),
      });
  }

  protected reload(): void {
    this.load();
  }

  private openForm(data: ContactFormData): void {
    this.dialog
      .open<ContactFormDialog, ContactFormData, ContactFormResult>(ContactFormDialog, {
        data,
        maxWidth: '95vw',
      })
      .afterClosed()
      .subscribe((result) => {
        if (!result) return;
        if ('openExisting' in result) {
          const existing = this.contacts().find((c) => c.id === result.openExisting);
          this.openDetail(existing ?? ({ id: result.openExisting } as Contact));
          return;
        }
        const saved = result.saved;
        const known = this.contacts().some((c) => c.id === saved.id);
        this.list.update((list) =>
          known
            ? list.map((c) => (c.id === saved.id ? saved : c))
            : [...list, saved].sort((a, b) => a.name.localeCompare(b.name)),
        );
        this.learnTags([saved]);
        this.notify(data.contact ? `${saved.name} was saved.` : `${saved.name} was added.`);
      });
  }

  private setQuery(query: { q: string; tag: string | null }): void {
    this.query.set(query);
    this.load();
  }

  private toQuery() {
    const { q, tag } = this.query();
    return { q: q || undefined, tag: tag || undefined };
  }

  private load(): void {
    this.list.load();
  }

  private learnTags(contacts: readonly Contact[]): void {
    const tags = new Set(this.knownTags());
    const before = tags.size;
    for (const contact of contacts) for (const tag of contact.tags) tags.add(tag);
    if (tags.size !== before) this.knownTags.set([...tags].sort((a, b) => a.localeCompare(b)));
  }

  private notify(message: string, failure = false): void {
    this.snackBar.open(message, 'Dismiss', {
      duration: failure ? 8000 : 4000,
      panelClass: failure ? 'sb-snack-error' : undefined,
    });
  }
}
