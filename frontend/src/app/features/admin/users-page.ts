import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelect, MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { filter } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { AuthService } from '../../core/auth/auth-service';
import { ROLES, ROLE_LABELS, Role, User } from '../../core/auth/user';
import { initialsOf } from '../../core/shell/shell';
import { ConfirmDialog, ConfirmDialogData } from '../../shared/confirm-dialog/confirm-dialog';
import { InviteUserDialog, InviteUserDialogData } from './invite-user-dialog';
import { OrganizationTimeZone } from './organization-time-zone';
import { ROLE_DESCRIPTIONS } from './role-descriptions';
import { UsersApi } from '../../core/users/users-api';
import { IntlDatePipe } from '../../shared/format/intl-format';

/** Admin → Users: who can sign in to the organization, their roles, and access on/off. */
@Component({
  selector: 'sb-users-page',
  imports: [
    OrganizationTimeZone,
    IntlDatePipe,
    MatTableModule,
    MatButtonModule,
    MatIconModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatProgressBarModule,
    MatTooltipModule,
  ],
  templateUrl: './users-page.html',
  styleUrl: './users-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersPage {
  private readonly api = inject(UsersApi);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly columns = ['name', 'email', 'role', 'status', 'lastLoginAt', 'actions'];
  protected readonly roles = ROLES;
  protected readonly roleLabels = ROLE_LABELS;
  protected readonly roleDescriptions = ROLE_DESCRIPTIONS;
  protected readonly initialsOf = initialsOf;

  protected readonly users = signal<User[]>([]);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  /** Ids of users with a change in flight. */
  protected readonly busy = signal<ReadonlySet<string>>(new Set());
  protected readonly query = signal('');

  protected readonly currentUserId = computed(() => this.auth.user()?.id ?? null);
  protected readonly organizationName = computed(() => this.auth.user()?.organization.name ?? '');
  protected readonly activeCount = computed(() => this.users().filter((u) => u.active).length);
  protected readonly visibleUsers = computed(() => {
    const q = this.query().trim().toLowerCase();
    if (!q) return this.users();
    return this.users().filter(
      (u) => u.name.toLowerCase().includes(q) || u.email.toLowerCase().includes(q),
    );
  });

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.loadError.set(null);
    this.api.list().subscribe({
      next: (users) => {
        this.users.set(users);
        this.loading.set(false);
      },
      error: (err: unknown) => {
        this.loadError.set(ApiError.message(err, 'Could not load the users.'));
        this.loading.set(false);
      },
    });
  }

  protected onSearch(event: Event): void {
    this.query.set((event.target as HTMLInputElement).value);
  }

  protected openInvite(): void {
    this.dialog
      .open<InviteUserDialog, void, User>(InviteUserDialog, { autoFocus: 'first-tabbable' })
      .afterClosed()
      .pipe(filter((user): user is User => !!user))
      .subscribe((user) => {
        this.users.update((users) => [...users, user]);
        this.notify(`${user.name} was invited: they sign in once they use their link`);
      });
  }

  /** A new setup link for a user who has not used theirs (the earlier one stops working). */
  protected newSetupLink(user: User): void {
    const data: ConfirmDialogData = {
      title: `New setup link for ${user.name}?`,
      message: `The link sent to ${user.name} earlier stops working. You get a new one to send them.`,
      confirmLabel: 'Issue new link',
      icon: 'link',
    };
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data })
      .afterClosed()
      .pipe(filter((confirmed) => confirmed === true))
      .subscribe(() => {
        this.setBusy(user.id, true);
        this.api.reissueSetupLink(user.id).subscribe({
          next: (link) => {
            this.setBusy(user.id, false);
            this.dialog.open<InviteUserDialog, InviteUserDialogData, User>(InviteUserDialog, {
              data: { user, link },
              disableClose: true,
            });
          },
          error: (err: unknown) => {
            this.setBusy(user.id, false);
            this.notify(ApiError.message(err, 'Could not issue a new link.'), true);
          },
        });
      });
  }

  /** A promotion to admin or owner asks first; other role changes apply at once. */
  protected changeRole(user: User, role: Role, select: MatSelect): void {
    if (role === user.role) return;
    const revert = () => (select.value = user.role); // the change did not happen
    const apply = () =>
      this.save(user, { role }, `${user.name}'s role is now ${ROLE_LABELS[role]}`, revert);
    if (role !== 'admin' && role !== 'owner') return apply();
    const data: ConfirmDialogData = {
      title: `Make ${user.name} ${role === 'owner' ? 'an owner' : 'an admin'}?`,
      message:
        role === 'owner'
          ? `${user.name} will have full control of the organization: users and their roles, rates, top-ups and every call.`
          : `${user.name} will manage users, rates and top-ups, and see and end every call of the organization.`,
      confirmLabel: `Make ${ROLE_LABELS[role].toLowerCase()}`,
      icon: 'admin_panel_settings',
      tone: 'danger',
    };
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data })
      .afterClosed()
      .subscribe((confirmed) => (confirmed === true ? apply() : revert()));
  }

  protected toggleActive(user: User): void {
    const deactivate = user.active;
    const data: ConfirmDialogData = deactivate
      ? {
          title: `Deactivate ${user.name}?`,
          message: `${user.name} will be signed out and can no longer sign in. Their calls stay in the history, and you can reactivate them at any time.`,
          confirmLabel: 'Deactivate',
          icon: 'person_off',
          tone: 'danger',
        }
      : {
          title: `Reactivate ${user.name}?`,
          message: `${user.name} will be able to sign in again with their existing password.`,
          confirmLabel: 'Reactivate',
          icon: 'person_check',
        };
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data })
      .afterClosed()
      .pipe(filter((confirmed) => confirmed === true))
      .subscribe(() =>
        this.save(
          user,
          { active: !deactivate },
          `${user.name} was ${deactivate ? 'deactivated' : 'reactivated'}`,
        ),
      );
  }

  protected isBusy(user: User): boolean {
    return this.busy().has(user.id);
  }

  private save(
    user: User,
    changes: Partial<Pick<User, 'role' | 'active'>>,
    success: string,
    onError?: () => void,
  ): void {
    this.setBusy(user.id, true);
    this.api.update(user.id, changes).subscribe({
      next: (updated) => {
        this.users.update((users) => users.map((u) => (u.id === updated.id ? updated : u)));
        this.setBusy(user.id, false);
        this.notify(success);
      },
      error: (err: unknown) => {
        this.setBusy(user.id, false);
        onError?.();
        this.notify(ApiError.message(err, 'The change could not be saved.'), true);
      },
    });
  }

  private setBusy(id: string, busy: boolean): void {
    this.busy.update((ids) => {
      const next = new Set(ids);
      if (busy) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  private notify(message: string, isError = false): void {
    this.snackBar.open(message, 'Dismiss', {
      duration: isError ? 8000 : 4000,
      panelClass: isError ? 'sb-snack-error' : undefined,
    });
  }
}
