import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';

import { AuthService } from './core/auth/auth-service';
import { UnreachableScreen } from './core/auth/unreachable-screen';

/**
 * Root component: everything below it is routed (login page or the authenticated shell); the
 * retry screen covers it while the api cannot be reached at start-up.
 */
@Component({
  selector: 'sb-root',
  imports: [RouterOutlet, UnreachableScreen],
  // Deferred: out of the initial bundle, fetched once the page is idle, before any outage needs it.
  template: `
    <router-outlet />
    @defer (when auth.unreachable(); prefetch on idle) {
      <sb-unreachable-screen />
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  protected readonly auth = inject(AuthService);
}
