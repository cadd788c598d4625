import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatIconModule } from '@angular/material/icon';
import { MatTabsModule } from '@angular/material/tabs';
import { ActivatedRoute, Router } from '@angular/router';
import { map } from 'rxjs';

import { AuthService } from '../../core/auth/auth-service';
import { BillingOverview } from './billing-overview';
import { RatesEditor } from './rates-editor';

export const TAB_PARAM = 'tab';

/** Billing: what calls cost (everyone; agents see their own calls) and the rate deck (admins). */
@Component({
  selector: 'sb-billing-page',
  imports: [MatTabsModule, MatIconModule, BillingOverview, RatesEditor],
  template: `
    <header class="header">
      <div class="heading">
        <span class="eyebrow">Money</span>
        <h1>Billing</h1>
        <p class="subtitle">
          @if (isAdmin()) {
            What calls cost across <strong>{{ organizationName() }}</strong>, and how they are
            priced.
          } @else {
            What your calls cost, by day, provider and destination.
          }
        </p>
      </div>
    </header>

    @if (isAdmin()) {
      <mat-tab-group
        class="tabs"
        mat-stretch-tabs="false"
        animationDuration="0ms"
        [selectedIndex]="tab() === 'rates' ? 1 : 0"
        (selectedIndexChange)="selectTab($event)"
      >
        <mat-tab>
          <ng-template mat-tab-label>
            <mat-icon>bar_chart</mat-icon>
            <span data-testid="billing-tab-spend">Spend</span>
          </ng-template>
          <ng-template matTabContent>
            <sb-billing-overview class="tab-body" />
          </ng-template>
        </mat-tab>
        <mat-tab>
          <ng-template mat-tab-label>
            <mat-icon>sell</mat-icon>
            <span data-testid="billing-tab-rates">Rates</span>
          </ng-template>
          <ng-template matTabContent>
            <sb-rates-editor class="tab-body" />
          </ng-template>
        </mat-tab>
      </mat-tab-group>
    } @else {
      <sb-billing-overview />
    }
  `,
  styleUrl: './billing-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BillingPage {
  private readonly auth = inject(AuthService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);

  protected readonly isAdmin = this.auth.isAdmin;
  protected readonly organizationName = computed(() => this.auth.user()?.organization.name ?? '');
  protected readonly tab = toSignal(
    this.route.queryParamMap.pipe(map((params) => params.get(TAB_PARAM))),
  );

  protected selectTab(index: number): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { [TAB_PARAM]: index === 1 ? 'rates' : null },
      queryParamsHandling: 'merge',
    });
  }
}
