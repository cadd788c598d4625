import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterOutlet } from '@angular/router';

/**
 * Root component: everything below it is routed (login page or the authenticated shell). While
 * the api cannot be reached at start-up, the "can't reach Switchboard" screen covers it: the lazily
 * loaded retry loop (core/auth/start-up-retry) puts it on the page, so it is not in the initial
 * bundle.
 */
@Component({
  selector: 'sb-root',
  imports: [RouterOutlet],
  template: '<router-outlet />',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {}
