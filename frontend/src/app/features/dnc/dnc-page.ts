import { IntlDatePipe } from '../../shared/format/intl-format';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { Subject, Subscription, debounceTime, distinctUntilChanged, filter } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { ConfirmDialog, ConfirmDialogData } from '../../shared/confirm-dialog/confirm-dialog';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { DNC_SOURCE_LABELS, DncApi, DncEntry } from './dnc-api';

export const DNC_PAGE_SIZE = 50;

/** Administration → Do not call: numbers no one in the organization may dial. */
@Component({
  selector: 'sb-dnc-page',
  imports: [
    IntlDatePipe,
    FormsModule,
    MatTableModule,
    MatButtonModule,
    MatIconModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    EmptyState,
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
  protected readonly entries = signal<readonly DncEntry[]>([]);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly loading = signal(true);
  protected readonly loadingMore = signal(false);
  protected readonly loadError = signal<string | null>(null);

  protected phone = '';
  protected reason = '';
  protected readonly adding = signal(false);
  protected readonly addError = signal<string | null>(null);
  protected readonly removing = signal<string | null>(null);

  private readonly searches = new Subject<string>();
  private request?: Subscription;

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
    this.request?.unsubscribe();
    this.loading.set(true);
    this.loadError.set(null);
    this.request = this.api.list(this.search().trim(), { limit: DNC_PAGE_SIZE }).subscribe({
      next: (page) => {
        this.entries.set(page.items);
        this.nextCursor.set(page.nextCursor);
        this.loading.set(false);
      },
      error: (err: unknown) => {
        this.entries.set([]);
        this.nextCursor.set(null);
        this.loadError.set(ApiError.message(err, 'Could not load the do-not-call list.'));
        this.loading.set(false);
      },
    });
  }

  protected loadMore(): void {
    const cursor = this.nextCursor();
    if (!cursor || this.loading() || this.loadingMore()) return;
    this.loadingMore.set(true);
    this.request = this.api.list(this.search().trim(), { cursor, limit: DNC_PAGE_SIZE }).subscribe({
      next: (page) => {
        const seen = new Set(this.entries().map((e) => e.id));
        this.entries.update((all) => [...all, ...page.items.filter((e) => !seen.has(e.id))]);
        this.nextCursor.set(page.nextCursor);
        this.loadingMore.set(false);
      },
      error: (err: unknown) => {
        this.loadingMore.set(false);
        this.notify(ApiError.message(err, 'Could not load more numbers.'), true);
      },
    });
  }

  protected add(): void {
    if (!this.phone.trim() || this.adding()) return;
    this.adding.set(true);
    this.addError.set(null);
    this.api.add(this.phone.trim(), this.reason.trim()).subscribe({
      next: (entry) => {
        this.adding.set(false);
        const known = this.entries().some((e) => e.id === entry.id);
        this.entries.update((all) => [entry, ...all.filter((e) => e.id !== entry.id)]);
        this.phone = '';
        this.reason = '';
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
            this.entries.update((all) => all.filter((e) => e.id !== entry.id));
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
