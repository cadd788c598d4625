import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import {
  AbstractControl,
  FormControl,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import { finalize } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { AuthService } from '../../core/auth/auth-service';
import { OrganizationSettings } from '../../core/organization/organization-settings';
import { browserTimeZone } from '../../shared/format/display-settings';

const ZONES: readonly string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
})();

function timeZoneValidator(control: AbstractControl<string>): ValidationErrors | null {
  const zone = control.value.trim();
  if (!zone) return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return null;
  } catch {
    return { timeZone: true };
  }
}

/**
 * The organization's time zone: where its days begin (billing days, the dashboard's "today") and
 * the zone of every time the console shows. The owner changes it; others see it.
 */
@Component({
  selector: 'sb-organization-time-zone',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <section class="panel zone-panel" aria-labelledby="zone-title">
      <div class="zone-text">
        <h2 id="zone-title" class="panel-title">Time zone</h2>
        <p class="muted">
          Days in billing and on the dashboard begin at midnight in this zone, and every time in the
          console is shown in it. Dates and numbers follow your browser's language.
        </p>
      </div>
      @if (isOwner()) {
        <form class="zone-form" (submit)="$event.preventDefault(); save()">
          <mat-form-field appearance="outline" class="zone-field">
            <mat-label>Organization time zone</mat-label>
            <input
              matInput
              [formControl]="zone"
              list="sb-time-zones"
              autocomplete="off"
              data-testid="org-time-zone"
            />
            <datalist id="sb-time-zones">
              @for (name of zones; track name) {
                <option [value]="name"></option>
              }
            </datalist>
            <mat-hint>This browser is in {{ browserZone }}</mat-hint>
            @if (zone.hasError('required')) {
              <mat-error>Enter a time zone, e.g. Europe/Paris</mat-error>
            } @else if (zone.hasError('timeZone')) {
              <mat-error>Not a time zone: pick one from the list, e.g. Asia/Kolkata</mat-error>
            } @else if (zone.hasError('server')) {
              <mat-error>{{ zone.getError('server') }}</mat-error>
            }
          </mat-form-field>
          <button
            mat-flat-button
            type="submit"
            data-testid="org-time-zone-save"
            [disabled]="saving() || zone.value.trim() === current()"
          >
            {{ saving() ? 'Saving…' : 'Save' }}
          </button>
        </form>
      } @else {
        <p class="zone-value" data-testid="org-time-zone-value">{{ current() }}</p>
      }
    </section>
  `,
  styles: `
    .zone-panel {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-start;
      justify-content: space-between;
      gap: 8px 24px;
      padding: 16px 20px;
      margin-bottom: 16px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 16px;
      background: var(--mat-sys-surface-container-lowest);
    }
    .zone-text {
      flex: 1 1 280px;
    }
    .panel-title {
      margin: 0 0 4px;
      font: var(--mat-sys-title-medium);
    }
    .muted {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-medium);
    }
    .zone-form {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-start;
      gap: 8px 12px;
    }
    .zone-field {
      width: min(320px, 100%);
    }
    .zone-form button {
      margin-top: 10px;
    }
    .zone-value {
      margin: 8px 0 0;
      font: var(--mat-sys-title-small);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OrganizationTimeZone {
  private readonly auth = inject(AuthService);
  private readonly settings = inject(OrganizationSettings);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly zones = ZONES;
  protected readonly browserZone = browserTimeZone();
  protected readonly isOwner = computed(() => this.auth.user()?.role === 'owner');
  protected readonly current = computed(() => this.auth.user()?.organization.timeZone ?? 'UTC');
  protected readonly saving = signal(false);
  protected readonly zone = new FormControl(this.current(), {
    nonNullable: true,
    validators: [Validators.required, timeZoneValidator],
  });

  protected save(): void {
    this.zone.markAsTouched();
    if (this.zone.invalid || this.saving()) return;
    this.saving.set(true);
    this.settings
      .update({ timeZone: this.zone.value.trim() })
      .pipe(finalize(() => this.saving.set(false)))
      .subscribe({
        next: (user) => {
          this.zone.setValue(user.organization.timeZone);
          this.snackBar.open(`Time zone set to ${user.organization.timeZone}`, 'Dismiss', {
            duration: 4000,
          });
        },
        error: (err: unknown) =>
          this.zone.setErrors({ server: ApiError.message(err, 'The time zone was not saved.') }),
      });
  }
}
