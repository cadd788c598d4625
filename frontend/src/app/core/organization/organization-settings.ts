import { HttpClient } from '@angular/common/http';
import { Injectable, effect, inject } from '@angular/core';
import { Observable, map, switchMap, tap } from 'rxjs';

import { ApiSchema } from '../api/api-schema';
import { AuthService } from '../auth/auth-service';
import { isOperator } from '../auth/home';
import { Organization, User } from '../auth/user';
import { browserTimeZone, configureDisplay } from '../../shared/format/display-settings';

/**
 * The organization's currency and time zone, applied to how every page shows money and time
 * (shared/format/display-settings.ts), and the owner's changes to them (`PATCH /api/organization`).
 */
@Injectable({ providedIn: 'root' })
export class OrganizationSettings {
  private readonly http = inject(HttpClient);
  private readonly auth = inject(AuthService);

  constructor() {
    effect(() => this.apply(this.auth.user()));
  }

  /**
   * From the signed-in user's organization on: applied at once (before the first page renders)
   * and again whenever it changes. An owner whose organization has no zone yet gives it the
   * browser's.
   */
  start(): void {
    this.apply(this.auth.user());
    const user = this.auth.user();
    if (user?.role === 'owner' && !user.organization.timeZoneChosen) {
      this.update({ timeZone: browserTimeZone(), onlyIfUnset: true }).subscribe({
        error: () => undefined, // stays UTC until the owner chooses; nothing to tell
      });
    }
  }

  /** Owners only; the server validates the zone (400 with the reason otherwise). */
  update(change: ApiSchema<'UpdateOrganizationDto'>): Observable<User> {
    return this.http.patch<Organization>('/api/organization', change).pipe(
      switchMap(() => this.auth.loadMe()),
      map((user) => {
        if (isOperator(user)) throw new Error('A platform operator has no organization');
        return user;
      }),
      tap((user) => this.apply(user)),
    );
  }

  private apply(user: User | null): void {
    if (!user) return;
    configureDisplay({
      timeZone: user.organization.timeZone,
      currency: user.organization.currency,
    });
  }
}
