import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { filter, map } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { PROVIDERS, PROVIDER_LABELS, Provider, providerLabel } from '../../core/calls/call';
import { ConfirmDialog, ConfirmDialogData } from '../../shared/confirm-dialog/confirm-dialog';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { LoadState } from '../../shared/load-state/load-state';
import { LoadMore } from '../../shared/paged-list/load-more';
import { pagedList } from '../../shared/paged-list/paged-list';
import {
  REPLAYABLE_STATES,
  WEBHOOK_EVENT_STATES,
  WEBHOOK_EVENT_STATE_LABELS,
  WebhookEventQuery,
  WebhookEventState,
  WebhookEventView,
  WebhookEventsApi,
} from './webhook-events-api';
import { IntlDatePipe } from '../../shared/format/intl-format';

export const WEBHOOK_PAGE_SIZE = 50;

/** Admin → Webhook events: every provider callback as received, its processing, and replay. */
@Component({
  selector: 'sb-webhook-events-page',
  imports: [
    IntlDatePipe,
    RouterLink,
    MatTableModule,
    MatButtonModule,
    MatIconModule,
    MatFormFieldModule,
    MatSelectModule,
    MatTooltipModule,
    EmptyState,
    LoadState,
    LoadMore,
  ],
  templateUrl: './webhook-events-page.html',
  styleUrl: './webhook-events-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookEventsPage {
  private readonly api = inject(WebhookEventsApi);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly columns = [
    'receivedAt',
    'provider',
    'state',
    'attempts',
    'lastError',
    'processedAt',
    'call',
    'actions',
  ];
  protected readonly states = WEBHOOK_EVENT_STATES;
  protected readonly stateLabels = WEBHOOK_EVENT_STATE_LABELS;
  protected readonly providers = PROVIDERS;
  protected readonly providerLabels = PROVIDER_LABELS;
  protected readonly providerLabel = providerLabel;

  protected readonly query = signal<WebhookEventQuery>({});
  protected readonly list = pagedList<WebhookEventView>({
    fetch: (page) => this.api.list(this.query(), page),
    pageSize: WEBHOOK_PAGE_SIZE,
    errorMessage: 'Could not load the webhook events.',
    moreErrorMessage: 'Could not load more events.',
  });
  protected readonly events = this.list.items;
  protected readonly expandedId = signal<string | null>(null);
  /** Ids of events with a replay in flight. */
  protected readonly replaying = signal<ReadonlySet<string>>(new Set());

  constructor() {
    this.route.queryParamMap
      .pipe(
        map((params) => readQuery(params.get('state'), params.get('provider'))),
        takeUntilDestroyed(),
      )
      .subscribe((query) => {
        this.query.set(query);
        this.load();
      });
  }

  protected load(): void {
    this.list.load();
  }

  protected filterBy(change: WebhookEventQuery): void {
    const next = { ...this.query(), ...change };
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { state: next.state || null, provider: next.provider || null },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }

  protected toggle(event: WebhookEventView): void {
    this.expandedId.update((id) => (id === event.id ? null : event.id));
  }

  protected canReplay(event: WebhookEventView): boolean {
    return REPLAYABLE_STATES.includes(event.state);
  }

  protected stateLabel(state: string): string {
    return WEBHOOK_EVENT_STATE_LABELS[state as WebhookEventState] ?? state;
  }

  protected isReplaying(event: WebhookEventView): boolean {
    return this.replaying().has(event.id);
  }

  protected replay(event: WebhookEventView): void {
    const data: ConfirmDialogData = {
      title: 'Replay this event?',
      message:
        `The ${providerLabel(event.provider)} event goes back on the queue ` +
        'and is processed again with a fresh set of attempts. Its effects still apply only once.',
      confirmLabel: 'Replay',
      icon: 'replay',
    };
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data })
      .afterClosed()
      .pipe(filter((confirmed) => confirmed === true))
      .subscribe(() => {
        this.setReplaying(event.id, true);
        this.api.replay(event.id).subscribe({
          next: (updated) => {
            this.setReplaying(event.id, false);
            this.list.update((events) => events.map((e) => (e.id === updated.id ? updated : e)));
            this.notify('The event is queued for processing again');
          },
          error: (err: unknown) => {
            this.setReplaying(event.id, false);
            this.notify(ApiError.message(err, 'The event could not be replayed.'), true);
          },
        });
      });
  }

  /** The body as sent, pretty-printed when it is JSON or a form. */
  protected formatBody(event: WebhookEventView): string {
    const body = event.rawBody ?? '';
    const type = (event.contentType ?? '').toLowerCase();
    if (type.includes('json') || /^\s*[[{]/.test(body)) {
      try {
        return JSON.stringify(JSON.parse(body), null, 2);
      } catch {
        return body;
      }
    }
    if (type.includes('x-www-form-urlencoded')) {
      return Array.from(new URLSearchParams(body))
        .map(([key, value]) => `${key} = ${value}`)
        .join('\n');
    }
    return body;
  }

  protected formatHeaders(event: WebhookEventView): string {
    return Object.entries(event.headers ?? {})
      .map(
        ([name, value]) => `${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
      )
      .join('\n');
  }

  private setReplaying(id: string, busy: boolean): void {
    this.replaying.update((ids) => {
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

function readQuery(state: string | null, provider: string | null): WebhookEventQuery {
  return {
    state: (WEBHOOK_EVENT_STATES as readonly string[]).includes(state ?? '')
      ? (state as WebhookEventState)
      : null,
    provider: (PROVIDERS as readonly string[]).includes(provider ?? '')
      ? (provider as Provider)
      : null,
  };
}
