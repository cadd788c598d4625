import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

import { LoadState } from '../load-state/load-state';
import { PagedList } from './paged-list';

/**
 * The foot of a paged list: the projected count, why the next page failed (with a retry), and
 * "Load more" while there is a next page.
 */
@Component({
  selector: 'sb-load-more',
  imports: [LoadState, MatButtonModule, MatIconModule],
  template: `
    <ng-content />
    <sb-load-state [inline]="true" [error]="list().moreError()" (retry)="list().loadMore()" />
    @if (list().hasMore()) {
      <button
        mat-stroked-button
        [attr.data-testid]="testId() + '-load-more'"
        [disabled]="list().loadingMore() || list().loading()"
        (click)="list().loadMore()"
      >
        <mat-icon>expand_more</mat-icon>
        {{ list().loadingMore() ? 'Loading…' : 'Load more' }}
      </button>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 8px;
      padding: 16px 20px 20px;
      border-top: 1px solid var(--mat-sys-outline-variant);
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoadMore<T> {
  readonly list = input.required<PagedList<T>>();
  readonly testId = input('list');
}
