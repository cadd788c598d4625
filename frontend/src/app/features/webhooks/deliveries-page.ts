import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { ActivatedRoute, RouterLink } from '@angular/router';

import { ApiError } from '../../core/api/api-error';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { IntlDatePipe } from '../../shared/format/intl-format';
import { LoadState } from '../../shared/load-state/load-state';
import { LoadMore } from '../../shared/paged-list/load-more';
import { pagedList } from '../../shared/paged-list/paged-list';
import {
  DeliveryStatus,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointsApi,
} from './webhook-endpoints-api';

export const DELIVERY_STATUS_LABELS: Readonly<Record<DeliveryStatus, string>> = {
  pending: 'Pending',
  retrying: 'Retrying',
  succeeded: 'Delivered',
  failed: 'Failed',
};

/** Admin → Webhooks → one endpoint's deliveries: each attempt's answer, and resend. */
@Component({
  selector: 'sb-deliveries-page',
  imports: [
    IntlDatePipe,
    RouterLink,
    MatButtonModule,
    MatIconModule,
    EmptyState,
    LoadState,
    LoadMore,
  ],
  templateUrl: './deliveries-page.html',
  styleUrl: './deliveries-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeliveriesPage implements OnInit {
  private readonly api = inject(WebhookEndpointsApi);
  private readonly snackBar = inject(MatSnackBar);

  /** The endpoint: the route's `:id`. */
  private readonly id = signal(inject(ActivatedRoute).snapshot.paramMap.get('id') ?? '');

  protected readonly labels = DELIVERY_STATUS_LABELS;
  protected readonly endpoint = signal<WebhookEndpoint | null>(null);
  protected readonly list = pagedList<WebhookDelivery>({
    fetch: (page) => this.api.deliveries(this.id(), page),
    pageSize: 50,
    errorMessage: 'Could not load the deliveries.',
    moreErrorMessage: 'Could not load more deliveries.',
  });
  protected readonly deliveries = this.list.items;
  protected readonly expandedId = signal<string | null>(null);
  protected readonly resending = signal<ReadonlySet<string>>(new Set());

  ngOnInit(): void {
    this.api.get(this.id()).subscribe({
      next: (endpoint) => this.endpoint.set(endpoint),
      error: () => this.endpoint.set(null),
    });
    this.load();
  }

  protected load(): void {
    this.list.load();
  }

  protected toggle(delivery: WebhookDelivery): void {
    this.expandedId.update((id) => (id === delivery.id ? null : delivery.id));
  }

  protected latency(delivery: WebhookDelivery): number | null {
    return delivery.attemptLog[0]?.latencyMs ?? null;
  }

  protected excerpt(delivery: WebhookDelivery): string | null {
    const last = delivery.attemptLog[0];
    return last?.error && !last.statusCode ? last.error : (last?.responseExcerpt ?? null);
  }

  protected pretty(body: string): string {
    try {
      return JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      return body;
    }
  }

  protected resend(delivery: WebhookDelivery): void {
    this.resending.update((ids) => new Set([...ids, delivery.id]));
    this.api.resend(this.id(), delivery.id).subscribe({
      next: (updated) => {
        this.done(delivery.id);
        this.list.update((items) => items.map((d) => (d.id === updated.id ? updated : d)));
        this.snackBar.open('Queued to be sent again', 'Dismiss', { duration: 4000 });
      },
      error: (err: unknown) => {
        this.done(delivery.id);
        this.snackBar.open(ApiError.message(err, 'Could not resend.'), 'Dismiss', {
          duration: 8000,
          panelClass: 'sb-snack-error',
        });
      },
    });
  }

  private done(id: string): void {
    this.resending.update((ids) => new Set([...ids].filter((other) => other !== id)));
  }
}
