import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { Clipboard } from '@angular/cdk/clipboard';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { Observable, filter } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { ConfirmDialog, ConfirmDialogData } from '../../shared/confirm-dialog/confirm-dialog';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { IntlDatePipe } from '../../shared/format/intl-format';
import { LoadState } from '../../shared/load-state/load-state';
import { EndpointDialog } from './endpoint-dialog';
import { WebhookEndpoint, WebhookEndpointsApi } from './webhook-endpoints-api';

/** Admin → Webhooks: the organization's outbound webhook endpoints, their secrets and state. */
@Component({
  selector: 'sb-webhooks-page',
  imports: [
    IntlDatePipe,
    RouterLink,
    MatButtonModule,
    MatIconModule,
    MatTooltipModule,
    EmptyState,
    LoadState,
  ],
  templateUrl: './webhooks-page.html',
  styleUrl: './webhooks-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhooksPage {
  private readonly api = inject(WebhookEndpointsApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly clipboard = inject(Clipboard);

  protected readonly endpoints = signal<readonly WebhookEndpoint[]>([]);
  protected readonly loading = signal(false);
  protected readonly loaded = signal(false);
  protected readonly error = signal<string | null>(null);
  /** Endpoints whose secret is shown in full. */
  protected readonly revealed = signal<ReadonlySet<string>>(new Set());
  protected readonly busy = signal<ReadonlySet<string>>(new Set());
  protected readonly disabledCount = computed(
    () => this.endpoints().filter((endpoint) => !endpoint.enabled).length,
  );

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.error.set(null);
    this.api.list().subscribe({
      next: ({ items }) => {
        this.endpoints.set(items);
        this.loading.set(false);
        this.loaded.set(true);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set(ApiError.message(err, 'Could not load the webhook endpoints.'));
      },
    });
  }

  protected add(): void {
    this.dialog
      .open<EndpointDialog, null, WebhookEndpoint>(EndpointDialog, { data: null })
      .afterClosed()
      .pipe(filter((endpoint): endpoint is WebhookEndpoint => !!endpoint))
      .subscribe((endpoint) => {
        this.endpoints.update((list) => [...list, endpoint]);
        this.revealed.update((ids) => new Set([...ids, endpoint.id]));
        this.notify('Endpoint added. Copy its signing secret into your receiver.');
      });
  }

  protected edit(endpoint: WebhookEndpoint): void {
    this.dialog
      .open<EndpointDialog, WebhookEndpoint, WebhookEndpoint>(EndpointDialog, { data: endpoint })
      .afterClosed()
      .pipe(filter((saved): saved is WebhookEndpoint => !!saved))
      .subscribe((saved) => this.replace(saved));
  }

  protected isRevealed(endpoint: WebhookEndpoint): boolean {
    return this.revealed().has(endpoint.id);
  }

  protected toggleReveal(endpoint: WebhookEndpoint): void {
    this.revealed.update((ids) => {
      const next = new Set(ids);
      if (next.has(endpoint.id)) next.delete(endpoint.id);
      else next.add(endpoint.id);
      return next;
    });
  }

  protected copy(text: string, what: string): void {
    this.notify(this.clipboard.copy(text) ? `${what} copied` : `Could not copy the ${what}`);
  }

  protected isBusy(endpoint: WebhookEndpoint): boolean {
    return this.busy().has(endpoint.id);
  }

  protected rotate(endpoint: WebhookEndpoint): void {
    this.confirm({
      title: 'Rotate the signing secret?',
      message:
        'A new secret signs every delivery from now on. For 24 hours the current secret signs ' +
        'them too (a second signature), so your receiver keeps verifying while you update it.',
      confirmLabel: 'Rotate',
      icon: 'autorenew',
    }).subscribe(() =>
      this.run(endpoint, this.api.rotateSecret(endpoint.id), 'Secret rotated', (saved) => {
        this.replace(saved);
        this.revealed.update((ids) => new Set([...ids, saved.id]));
      }),
    );
  }

  protected setEnabled(endpoint: WebhookEndpoint, enabled: boolean): void {
    this.run(
      endpoint,
      this.api.update(endpoint.id, { enabled }),
      enabled ? 'Endpoint enabled' : 'Endpoint paused',
      (saved) => this.replace(saved),
    );
  }

  protected remove(endpoint: WebhookEndpoint): void {
    this.confirm({
      title: 'Delete this endpoint?',
      message: `${endpoint.url} receives nothing more, including the retries still pending. Its delivery log is deleted with it.`,
      confirmLabel: 'Delete',
      icon: 'delete',
      tone: 'danger',
    }).subscribe(() =>
      this.run(endpoint, this.api.remove(endpoint.id), 'Endpoint deleted', () =>
        this.endpoints.update((list) => list.filter((e) => e.id !== endpoint.id)),
      ),
    );
  }

  private confirm(data: ConfirmDialogData) {
    return this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data })
      .afterClosed()
      .pipe(filter((confirmed) => confirmed === true));
  }

  private run<T>(
    endpoint: WebhookEndpoint,
    request: Observable<T>,
    done: string,
    apply: (result: T) => void,
  ): void {
    this.setBusy(endpoint.id, true);
    request.subscribe({
      next: (result) => {
        this.setBusy(endpoint.id, false);
        apply(result);
        this.notify(done);
      },
      error: (err: unknown) => {
        this.setBusy(endpoint.id, false);
        this.notify(ApiError.message(err, 'That did not work. Please try again.'), true);
      },
    });
  }

  private replace(saved: WebhookEndpoint): void {
    this.endpoints.update((list) => list.map((e) => (e.id === saved.id ? saved : e)));
  }

  private setBusy(id: string, busy: boolean): void {
    this.busy.update((ids) => {
      const next = new Set(ids);
      if (busy) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  private notify(message: string, isError = false): void {
    this.snackBar.open(message, 'Dismiss', {
      duration: isError ? 8000 : 4000,
      panelClass: isError ? 'sb-snack-error' : undefined,
    });
  }
}
