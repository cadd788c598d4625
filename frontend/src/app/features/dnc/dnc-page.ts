import { IntlDatePipe } from '../../shared/format/intl-format';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { Subject, debounceTime, distinctUntilChanged, filter } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { ConfirmDialog, ConfirmDialogData } from '../../shared/confirm-dialog/confirm-dialog';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { LoadState } from '../../shared/load-state/load-state';
import { LoadMore } from '../../shared/paged-list/load-more';
import { pagedList } from '../../shared/paged-list/paged-list';
import { DNC_SOURCE_LABELS, DncApi, DncEntry } from './dnc-api';

export const DNC_PAGE_SIZE = 50;

/** Administration → Do not call: numbers no one in the organization may dial. */
@Component({
  selector: 'sb-dnc-page',
  imports: [
    IntlDatePipe,
    ReactiveFormsModule,
    MatTableModule,
    MatButtonModule,
    MatIconModule,
    MatFormFieldModule,
    MatInputModule,
    EmptyState,
    LoadState,
    LoadMore,
  ],
  templateUrl: './dnc-page.html',
  styleUrl: './dnc-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DncPage {
  private readonly api = inject(DncApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly columns = ['phone', 'reason', 'source', 'createdAt', 'refused', 'actions'];
  protected readonly sourceLabels = DNC_SOURCE_LABELS;

  protected readonly search = signal('');
  protected readonly list = pagedList<DncEntry>({
    fetch: (page) => this.api.list(this.search().trim(), page),
    pageSize: DNC_PAGE_SIZE,
    errorMessage: 'Could not load the do-not-call list.',
    moreErrorMessage: 'Could not load more numbers.',
  });
  protected readonly entries = this.list.items;

  protected readonly phone = new FormControl('', { nonNullable: true });
  protected readonly reason = new FormControl('', { nonNullable: true });
  protected readonly phoneValue = toSignal(this.phone.valueChanges, { initialValue: '' });
  protected readonly adding = signal(false);
  protected readonly addError = signal<string | null>(null);
  protected readonly removing = signal<string | null>(null);

  private readonly searches = new Subject<string>();

  constructor() {
    this.searches
      .pipe(debounceTime(250), distinctUntilChanged(), takeUntilDestroyed())
      .subscribe(() => this.load());
    this.load();
  }

  protected onSearch(value: string): void {
    this.search.set(value);
    this.searches.next(value.trim());
  }

  protected load(): void {
    this.list.load();
  }

  protected add(): void {
    const phone = this.phone.value.trim();
    if (!phone || this.adding()) return;
    this.adding.set(true);
    this.addError.set(null);
    this.api.add(phone, this.reason.value.trim()).subscribe({
      next: (entry) => {
        this.adding.set(false);
        const known = this.entries().some((e) => e.id === entry.id);
        this.list.update((all) => [entry, ...all.filter((e) => e.id !== entry.id)]);
        this.phone.reset();
        this.reason.reset();
        this.notify(
          known ? `${entry.phone} was already on the list` : `${entry.phone} will not be called`,
        );
      },
      error: (err: unknown) => {
        this.adding.set(false);
        this.addError.set(ApiError.message(err, 'The number could not be added.'));
      },
    });
  }

  protected remove(entry: DncEntry): void {
    const data: ConfirmDialogData = {
      title: `Allow calls to ${entry.phone} again?`,
      message:
        'The number leaves the do-not-call list: agents and campaigns may call it again. ' +
        'Only do this when the person asked to be called.',
      confirmLabel: 'Remove from list',
      icon: 'phone_enabled',
    };
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data })
      .afterClosed()
      .pipe(filter((confirmed) => confirmed === true))
      .subscribe(() => {
        this.removing.set(entry.id);
        this.api.remove(entry.phone).subscribe({
          next: () => {
            this.removing.set(null);
            this.list.update((all) => all.filter((e) => e.id !== entry.id));
            this.notify(`${entry.phone} removed from the do-not-call list`);
          },
          error: (err: unknown) => {
            this.removing.set(null);
            this.notify(ApiError.message(err, 'The number could not be removed.'), true);
          },
        });
      });
  }

  protected sourceLabel(source: string): string {
    return DNC_SOURCE_LABELS[source] ?? source;
  }

  private notify(message: string, isError = false): void {
    this.snackBar.open(message, 'Dismiss', {
      duration: isError ? 8000 : 4000,
      panelClass: isError ? 'sb-snack-error' : undefined,
    });
  }
}
