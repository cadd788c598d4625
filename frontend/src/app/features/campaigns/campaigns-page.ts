import { ChangeDetectionStrategy, Component, DestroyRef, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';

import { RealtimeService } from '../../core/realtime/realtime-service';
import { EmptyState } from '../../shared/empty-state/empty-state';
import { IntlDatePipe } from '../../shared/format/intl-format';
import { LoadState } from '../../shared/load-state/load-state';
import { MoneyPipe } from '../../shared/money/money-pipe';
import { LoadMore } from '../../shared/paged-list/load-more';
import { pagedList } from '../../shared/paged-list/paged-list';
import { audienceText, progressPercent, statusLabel } from './campaign-format';
import { Campaign, CampaignsApi } from './campaigns-api';
import { CampaignStatusChip } from './campaign-status-chip';

/** Campaigns: every campaign of the organization with its state, progress and spend, live. */
@Component({
  selector: 'sb-campaigns-page',
  imports: [
    IntlDatePipe,
    MoneyPipe,
    RouterLink,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatTableModule,
    EmptyState,
    LoadState,
    LoadMore,
    CampaignStatusChip,
  ],
  templateUrl: './campaigns-page.html',
  styleUrl: './campaigns-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CampaignsPage {
  private readonly api = inject(CampaignsApi);

  protected readonly columns = ['name', 'status', 'progress', 'spent', 'createdAt'];
  protected readonly list = pagedList<Campaign>({
    fetch: (page) => this.api.list(page),
    errorMessage: 'Could not load the campaigns.',
    moreErrorMessage: 'Could not load more campaigns.',
  });
  protected readonly percent = progressPercent;
  protected readonly statusLabel = statusLabel;
  protected readonly audienceText = audienceText;

  constructor() {
    const realtime = inject(RealtimeService);
    const offUpdated = realtime.on('campaign:updated', (campaign) => {
      const known = this.list.items().some((c) => c.id === campaign.id);
      if (known) this.list.update((all) => all.map((c) => (c.id === campaign.id ? campaign : c)));
    });
    const offResync = realtime.on('resync', () => this.list.load({ keepItems: true }));
    inject(DestroyRef).onDestroy(() => {
      offUpdated();
      offResync();
    });
    this.list.load();
  }
}
