import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { filter } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { ConfirmDialog, ConfirmDialogData } from '../../shared/confirm-dialog/confirm-dialog';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { IntlDatePipe } from '../../shared/format/intl-format';
import { LoadState } from '../../shared/load-state/load-state';
import { ApiKey, ApiKeysApi, CreatedApiKey } from './api-keys-api';
import { CreateApiKeyDialog } from './create-api-key-dialog';

/** Administration → API keys (owners): create (shown once), list with last use, revoke. */
@Component({
  selector: 'sb-api-keys-page',
  imports: [IntlDatePipe, MatTableModule, MatButtonModule, MatIconModule, EmptyState, LoadState],
  templateUrl: './api-keys-page.html',
  styleUrl: './api-keys-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApiKeysPage {
  private readonly api = inject(ApiKeysApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly columns = ['name', 'role', 'createdAt', 'lastUsedAt', 'actions'];
  protected readonly keys = signal<ApiKey[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly revoking = signal<string | null>(null);
  protected readonly activeCount = computed(() => this.keys().filter((k) => !k.revokedAt).length);

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.error.set(null);
    this.api.list().subscribe({
      next: ({ items }) => {
        this.keys.set(items);
        this.loading.set(false);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set(ApiError.message(err, 'Could not load the API keys.'));
      },
    });
  }

  protected create(): void {
    this.dialog
      .open<CreateApiKeyDialog, void, CreatedApiKey | undefined>(CreateApiKeyDialog, {
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .pipe(filter((key): key is CreatedApiKey => !!key))
      .subscribe((key) => {
        // The secret stays in the dialog: the list never holds it.
        const { secret: _secret, ...listed } = key;
        this.keys.update((all) => [listed, ...all]);
        this.notify(`API key “${key.name}” created`);
      });
  }

  protected revoke(key: ApiKey): void {
    const data: ConfirmDialogData = {
      title: `Revoke “${key.name}”?`,
      message:
        'Every request made with this key is refused from now on, on every server. ' +
        'Whatever uses it stops working. This cannot be undone.',
      confirmLabel: 'Revoke key',
      icon: 'key_off',
      tone: 'danger',
    };
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data })
      .afterClosed()
      .pipe(filter((confirmed) => confirmed === true))
      .subscribe(() => {
        this.revoking.set(key.id);
        this.api.revoke(key.id).subscribe({
          next: (revoked) => {
            this.revoking.set(null);
            this.keys.update((all) => all.map((k) => (k.id === revoked.id ? revoked : k)));
            this.notify(`API key “${key.name}” revoked`);
          },
          error: (err: unknown) => {
            this.revoking.set(null);
            this.notify(ApiError.message(err, 'The key could not be revoked.'), true);
          },
        });
      });
  }

  private notify(message: string, isError = false): void {
    this.snackBar.open(message, 'Dismiss', {
      duration: isError ? 8000 : 4000,
      panelClass: isError ? 'sb-snack-error' : undefined,
    });
  }
}
