import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { Clipboard } from '@angular/cdk/clipboard';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';

import { ApiError } from '../../core/api/api-error';
import { LoadState } from '../../shared/load-state/load-state';
import { ProviderOverview, ProvidersApi, ProvidersOverview } from './providers-api';

/** Admin → Providers: what is configured, the URLs to paste into each provider, and their webhooks' last day. */
@Component({
  selector: 'sb-providers-page',
  imports: [MatButtonModule, MatIconModule, MatTooltipModule, LoadState],
  templateUrl: './providers-page.html',
  styleUrl: './providers-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProvidersPage {
  private readonly api = inject(ProvidersApi);
  private readonly clipboard = inject(Clipboard);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly overview = signal<ProvidersOverview | null>(null);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly groups = computed(() => {
    const providers = this.overview()?.providers ?? [];
    return [
      { label: 'Calls', items: providers.filter((p) => p.kind === 'calls') },
      { label: 'Payments', items: providers.filter((p) => p.kind === 'payments') },
    ];
  });

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.error.set(null);
    this.api.overview().subscribe({
      next: (overview) => {
        this.overview.set(overview);
        this.loading.set(false);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set(ApiError.message(err, 'Could not load the providers.'));
      },
    });
  }

  protected copy(url: string): void {
    this.snackBar.open(
      this.clipboard.copy(url) ? 'URL copied' : 'Could not copy the URL',
      'Dismiss',
      {
        duration: 3000,
      },
    );
  }

  protected trackProvider(provider: ProviderOverview): string {
    return provider.name;
  }
}
