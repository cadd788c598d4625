import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatSelect } from '@angular/material/select';
import { of } from 'rxjs';

import { AuthService, TOKEN_STORAGE_KEY } from '../../core/auth/auth-service';
import { User } from '../../core/auth/user';
import { makeUser } from '../../testing';
import { UsersPage } from './users-page';

describe('UsersPage', () => {
  let fixture: ComponentFixture<UsersPage>;
  let backend: HttpTestingController;
  let page: HTMLElement;
  let confirmAnswer: boolean;

  const me = makeUser();
  const agent = makeUser({
    id: 'u-agent',
    name: 'Alan Agent',
    email: 'agent@demo.test',
    role: 'agent',
  });

  beforeEach(async () => {
    localStorage.clear();
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt');
    confirmAnswer = true;
    TestBed.configureTestingModule({
      imports: [UsersPage],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
    // The signed-in admin.
    TestBed.inject(AuthService).loadMe().subscribe();
    backend.expectOne('/api/auth/me').flush(me);
    // Confirmation dialogs answer at once.
    const dialog = TestBed.inject(MatDialog);
    vi.spyOn(dialog, 'open').mockImplementation(
      () => ({ afterClosed: () => of(confirmAnswer) }) as ReturnType<MatDialog['open']>,
    );

    fixture = TestBed.createComponent(UsersPage);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  const rows = () => Array.from(page.querySelectorAll<HTMLElement>('[data-testid="user-row"]'));
  const row = (email: string) => page.querySelector<HTMLElement>(`[data-user-email="${email}"]`)!;

  async function respondWithUsers(users: User[]): Promise<void> {
    backend.expectOne('/api/users').flush({ items: users });
    await fixture.whenStable();
  }

  it('shows a progress bar, then one row per user', async () => {
    expect(page.querySelector('[data-testid="users-loading"]')).not.toBeNull();

    await respondWithUsers([me, agent]);

    expect(page.querySelector('[data-testid="users-loading"]')).toBeNull();
    expect(rows()).toHaveLength(2);
    expect(row('agent@demo.test').textContent).toContain('Alan Agent');
    expect(
      row('agent@demo.test').querySelector('[data-testid="user-status"]')?.textContent,
    ).toContain('Active');
    // Nobody can lock themselves out.
    expect(row('admin@demo.test').querySelector('[data-testid="user-toggle-active"]')).toBeNull();
  });

  it('shows the empty state when the organization has no users', async () => {
    await respondWithUsers([]);

    expect(page.querySelector('[data-testid="users-empty"]')).not.toBeNull();
    expect(page.querySelector('[data-testid="users-table"]')).toBeNull();
  });

  it('shows why the list could not be loaded', async () => {
    backend
      .expectOne('/api/users')
      .flush(
        { statusCode: 403, message: 'Forbidden resource' },
        { status: 403, statusText: 'Forbidden' },
      );
    await fixture.whenStable();

    expect(page.querySelector('[data-testid="users-error"]')?.textContent).toContain(
      'Forbidden resource',
    );
  });

  it('deactivates a user after confirmation', async () => {
    await respondWithUsers([me, agent]);

    row('agent@demo.test')
      .querySelector<HTMLButtonElement>('[data-testid="user-toggle-active"]')!
      .click();
    const req = backend.expectOne('/api/users/u-agent');
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toEqual({ active: false });
    req.flush({ ...agent, active: false });
    await fixture.whenStable();

    const status = row('agent@demo.test').querySelector('[data-testid="user-status"]');
    expect(status?.textContent).toContain('Deactivated');
    expect(row('agent@demo.test').textContent).toContain('Reactivate');
  });

  it('changes nothing when the confirmation is dismissed', async () => {
    await respondWithUsers([me, agent]);
    confirmAnswer = false;

    row('agent@demo.test')
      .querySelector<HTMLButtonElement>('[data-testid="user-toggle-active"]')!
      .click();

    backend.expectNone('/api/users/u-agent');
  });

  it('asks before promoting to admin or owner; a refusal changes nothing and puts the select back', async () => {
    await respondWithUsers([me, agent]);
    const dialog = TestBed.inject(MatDialog);
    const open = vi.mocked(dialog.open);
    open.mockClear();
    const select = { value: 'admin' } as unknown as MatSelect;
    const changeRole = (user: User, role: User['role']) =>
      (
        fixture.componentInstance as unknown as {
          changeRole(u: User, r: User['role'], s: MatSelect): void;
        }
      ).changeRole(user, role, select);

    confirmAnswer = false;
    changeRole(agent, 'admin');
    expect(open).toHaveBeenCalledTimes(1);
    expect((open.mock.calls[0][1] as { data: { title: string } }).data.title).toBe(
      'Make Alan Agent an admin?',
    );
    backend.expectNone('/api/users/u-agent');
    expect(select.value).toBe('agent');

    confirmAnswer = true;
    changeRole(agent, 'owner');
    const patch = backend.expectOne('/api/users/u-agent');
    expect(patch.request.body).toEqual({ role: 'owner' });
    patch.flush({ ...agent, role: 'owner' });

    // A demotion applies at once.
    open.mockClear();
    changeRole({ ...agent, role: 'admin' }, 'agent');
    expect(open).not.toHaveBeenCalled();
    backend.expectOne('/api/users/u-agent').flush(agent);
  });

  it('shows pending invitations and the last sign-in', async () => {
    const invited = makeUser({
      id: 'u-inv',
      name: 'Ivy Invited',
      email: 'ivy@demo.test',
      role: 'agent',
      pending: true,
    });
    const signedIn = { ...agent, lastLoginAt: '2026-11-30T09:05:00.000Z' };
    await respondWithUsers([me, signedIn, invited]);

    expect(
      row('ivy@demo.test').querySelector('[data-testid="user-status"]')?.textContent,
    ).toContain('Invited');
    expect(
      row('ivy@demo.test').querySelector('[data-testid="user-last-sign-in"]')?.textContent,
    ).toContain('Not yet');
    expect(
      row('agent@demo.test').querySelector('[data-testid="user-last-sign-in"]')?.textContent,
    ).toContain('Nov 30');
    expect(
      row('admin@demo.test').querySelector('[data-testid="user-last-sign-in"]')?.textContent,
    ).toContain('Never');
    // Only a pending user gets a new link.
    expect(row('agent@demo.test').querySelector('[data-testid="user-new-setup-link"]')).toBeNull();
  });

  it('issues a new setup link for a pending user after confirmation, and shows it', async () => {
    const invited = makeUser({ id: 'u-inv', name: 'Ivy', email: 'ivy@demo.test', pending: true });
    await respondWithUsers([me, invited]);
    const open = vi.mocked(TestBed.inject(MatDialog).open);
    open.mockClear();

    row('ivy@demo.test')
      .querySelector<HTMLButtonElement>('[data-testid="user-new-setup-link"]')!
      .click();
    const req = backend.expectOne('/api/users/u-inv/setup-link');
    expect(req.request.method).toBe('POST');
    const link = { setupUrl: 'http://x.test/setup/abc', expiresAt: '2026-12-09T12:00:00.000Z' };
    req.flush(link, { status: 201, statusText: 'Created' });

    expect(open).toHaveBeenCalledTimes(2); // the confirmation, then the link
    expect(open.mock.calls[1][1]).toMatchObject({ data: { user: invited, link } });
  });
});
