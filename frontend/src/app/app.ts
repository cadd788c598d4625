import { ChangeDetectionStrategy, Component, ViewContainerRef, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';

import { AuthService } from './core/auth/auth-service';

/**
 * Root component: everything below it is routed (login page or the authenticated shell). While
 * the api cannot be reached at start-up, the "can't reach Switchboard" screen covers it: it comes
 * with the lazily loaded retry loop (core/auth/start-up-retry), not in the initial bundle.
 */
@Component({
  selector: 'sb-root',
  imports: [RouterOutlet],
  template: '<router-outlet />',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  constructor() {
    const container = inject(ViewContainerRef);
    inject(AuthService).onFirstUnreachable = (screen) => container.createComponent(screen);
  }
}
