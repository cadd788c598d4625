import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserSetupToken } from '../../src/modules/auth/entities/user-setup-token.entity';
import { User } from '../../src/modules/auth/entities/user.entity';
import { connectSocket } from '../support/sockets';
import {
  createOperator,
  createOrganization,
  loginAs,
  request,
  RunningApi,
  startApi,
} from '../support/test-app';
import { eventually } from '../support/test-worker';

/** The token part of a setup link (`…/setup/<token>`). */
const tokenOf = (setupUrl: string) => {
  const match = /\/setup\/([A-Za-z0-9_-]+)$/.exec(setupUrl);
  if (!match) throw new Error(`not a setup link: ${setupUrl}`);
  return match[1];
};

const unique = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.test`;

describe('people: invitations with one-time setup links, password changes ending sessions (real PostgreSQL and Redis)', () => {
  let api: RunningApi;
  /** A second api node on the same database and Redis. */
  let other: RunningApi;
  let dataSource: DataSource;
  let baseUrl: string;

  beforeAll(async () => {
    api = await startApi({ PUBLIC_BASE_URL: 'https://calls.example.test' });
    other = await startApi({ PUBLIC_BASE_URL: 'https://calls.example.test' });
    dataSource = api.dataSource;
    baseUrl = api.baseUrl;
  });
  afterAll(async () => {
    await other?.close();
    await api?.close();
  });

  async function invite(token: string, body: { email: string; name: string; role: string }) {
    return request(baseUrl, 'POST', '/api/users/invitations', { token, body });
  }

  it('an admin invites a user: pending, no sign-in; the setup link works once, signs in, and a second use is 410', async () => {
    const { users, organization } = await createOrganization(dataSource, ['owner', 'admin']);
    const admin = await loginAs(baseUrl, users.admin);
    const email = unique('invited');
    const invited = await invite(admin, { email, name: 'Ivy Invited', role: 'agent' });
    expect(invited.status).toBe(201);
    expect(invited.body.user).toMatchObject({
      email,
      role: 'agent',
      pending: true,
      lastLoginAt: null,
    });
    expect(invited.body.setupUrl).toMatch(
      /^https:\/\/calls\.example\.test\/setup\/[A-Za-z0-9_-]{43}$/,
    );
    expect(Date.parse(invited.body.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);
    const token = tokenOf(invited.body.setupUrl);

    // Stored hashed: the token itself is nowhere in the table.
    const stored = await dataSource
      .getRepository(UserSetupToken)
      .findOneByOrFail({ userId: invited.body.user.id });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.tokenHash).not.toContain(token);

    // No password can sign in a pending user, not even an empty-looking one.
    const noLogin = await request(baseUrl, 'POST', '/api/auth/login', {
      body: { email, password: 'whatever-password' },
    });
    expect(noLogin.status).toBe(401);

    const info = await request(baseUrl, 'GET', `/api/auth/setup/${token}`);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({
      email,
      name: 'Ivy Invited',
      role: 'agent',
      organizationName: organization.name,
    });

    const short = await request(baseUrl, 'POST', `/api/auth/setup/${token}`, {
      body: { password: 'short' },
    });
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body)).toMatch(/password must have at least 8 characters/);

    const done = await request(baseUrl, 'POST', `/api/auth/setup/${token}`, {
      body: { password: 'ivy-chose-this' },
    });
    expect(done.status).toBe(200);
    expect(done.body.user).toMatchObject({ email, pending: false });
    expect(done.body.user.lastLoginAt).not.toBeNull();
    const me = await request(baseUrl, 'GET', '/api/auth/me', { token: done.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(email);

    const again = await request(baseUrl, 'POST', `/api/auth/setup/${token}`, {
      body: { password: 'someone-else-1' },
    });
    expect(again.status).toBe(410);
    expect(again.body.message).toMatch(/already used/);
    expect((await request(baseUrl, 'GET', `/api/auth/setup/${token}`)).status).toBe(410);
    // The password chosen the first time is the one that works.
    await loginAs(baseUrl, { email, password: 'ivy-chose-this' });
    await expect(loginAs(baseUrl, { email, password: 'someone-else-1' })).rejects.toThrow(/401/);

    // The Users page shows the last sign-in, and a user with a password gets no new link.
    const listed = await request(baseUrl, 'GET', '/api/users', { token: admin });
    const row = listed.body.items.find((item: { email: string }) => item.email === email);
    expect(row).toMatchObject({ pending: false });
    expect(row.lastLoginAt).not.toBeNull();
    const reissue = await request(baseUrl, 'POST', `/api/users/${row.id}/setup-link`, {
      token: admin,
    });
    expect(reissue.status).toBe(409);

    // Unknown and malformed tokens are 404s.
    expect((await request(baseUrl, 'GET', `/api/auth/setup/${'x'.repeat(43)}`)).status).toBe(404);
    expect((await request(baseUrl, 'GET', '/api/auth/setup/nope')).status).toBe(404);
  });

  it('an expired link is refused (410), and a re-issued one works while the earlier one is void (404)', async () => {
    const { users } = await createOrganization(dataSource, ['admin']);
    const admin = await loginAs(baseUrl, users.admin);
    const email = unique('late');
    const invited = await invite(admin, { email, name: 'Lee Late', role: 'agent' });
    const first = tokenOf(invited.body.setupUrl);
    await dataSource
      .getRepository(UserSetupToken)
      .update({ userId: invited.body.user.id }, { expiresAt: new Date(Date.now() - 1000) });
    const expired = await request(baseUrl, 'POST', `/api/auth/setup/${first}`, {
      body: { password: 'lee-password-1' },
    });
    expect(expired.status).toBe(410);
    expect(expired.body.message).toMatch(/expired/);

    const reissued = await request(
      baseUrl,
      'POST',
      `/api/users/${invited.body.user.id}/setup-link`,
      {
        token: admin,
      },
    );
    expect(reissued.status).toBe(201);
    const second = tokenOf(reissued.body.setupUrl);
    expect(second).not.toBe(first);
    expect((await request(baseUrl, 'GET', `/api/auth/setup/${first}`)).status).toBe(404);
    const done = await request(baseUrl, 'POST', `/api/auth/setup/${second}`, {
      body: { password: 'lee-password-1' },
    });
    expect(done.status).toBe(200);
  });

  it('concurrent uses of one link: exactly one sets the password, the others get 410', async () => {
    const { users } = await createOrganization(dataSource, ['admin']);
    const admin = await loginAs(baseUrl, users.admin);
    const email = unique('race');
    const invited = await invite(admin, { email, name: 'Rae Race', role: 'agent' });
    const token = tokenOf(invited.body.setupUrl);
    const passwords = Array.from({ length: 6 }, (_, i) => `race-password-${i}`);
    const answers = await Promise.all(
      passwords.map((password, i) =>
        request(i % 2 ? other.baseUrl : baseUrl, 'POST', `/api/auth/setup/${token}`, {
          body: { password },
        }),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 410, 410, 410, 410, 410]);
    const winner = passwords[answers.findIndex((answer) => answer.status === 200)];
    await loginAs(baseUrl, { email, password: winner });
    const user = await dataSource.getRepository(User).findOneByOrFail({ email });
    expect(user.sessionVersion).toBe(1);
  });

  it("another organization's admin cannot re-issue (404); an admin cannot invite an owner; a taken email is 409", async () => {
    const a = await createOrganization(dataSource, ['owner', 'admin']);
    const b = await createOrganization(dataSource, ['admin']);
    const adminA = await loginAs(baseUrl, a.users.admin);
    const adminB = await loginAs(baseUrl, b.users.admin);
    const invited = await invite(adminA, { email: unique('a'), name: 'Ann', role: 'agent' });
    const foreign = await request(
      baseUrl,
      'POST',
      `/api/users/${invited.body.user.id}/setup-link`,
      {
        token: adminB,
      },
    );
    expect(foreign.status).toBe(404);
    // A's link still works: B's attempt voided nothing.
    expect(
      (await request(baseUrl, 'GET', `/api/auth/setup/${tokenOf(invited.body.setupUrl)}`)).status,
    ).toBe(200);

    const owner = await invite(adminA, { email: unique('o'), name: 'Otto', role: 'owner' });
    expect(owner.status).toBe(403);
    const taken = await invite(adminA, { email: a.users.owner.email, name: 'Dup', role: 'agent' });
    expect(taken.status).toBe(409);
    expect(taken.body.message).toMatch(/already in use/);
    const agent = await createOrganization(dataSource, ['agent']);
    const agentToken = await loginAs(baseUrl, agent.users.agent);
    expect(
      (await invite(agentToken, { email: unique('x'), name: 'X', role: 'agent' })).status,
    ).toBe(403);
  });

  it("a suspended organization's user cannot use a setup link (403), and can once reinstated", async () => {
    const { users, organization } = await createOrganization(dataSource, ['admin']);
    const operator = await loginAs(baseUrl, await createOperator(dataSource));
    const admin = await loginAs(baseUrl, users.admin);
    const email = unique('susp');
    const invited = await invite(admin, { email, name: 'Sue', role: 'agent' });
    const token = tokenOf(invited.body.setupUrl);
    await request(baseUrl, 'PATCH', `/api/platform/organizations/${organization.id}`, {
      token: operator,
      body: { suspended: true },
    });
    const info = await request(baseUrl, 'GET', `/api/auth/setup/${token}`);
    expect(info.status).toBe(403);
    expect(info.body.message).toMatch(/suspended/);
    const refused = await request(baseUrl, 'POST', `/api/auth/setup/${token}`, {
      body: { password: 'sue-password-1' },
    });
    expect(refused.status).toBe(403);
    await request(baseUrl, 'PATCH', `/api/platform/organizations/${organization.id}`, {
      token: operator,
      body: { suspended: false },
    });
    // Not consumed by the refusal.
    const done = await request(baseUrl, 'POST', `/api/auth/setup/${token}`, {
      body: { password: 'sue-password-1' },
    });
    expect(done.status).toBe(200);
  });

  it('a password change ends every older token at once on both api nodes (sockets too); the new token works', async () => {
    const { users } = await createOrganization(dataSource, ['agent']);
    const agent = users.agent;
    const older = await loginAs(baseUrl, agent);
    const elsewhere = await loginAs(other.baseUrl, agent);
    const socket = await connectSocket(other.baseUrl, elsewhere);
    let disconnected = false;
    socket.socket.on('disconnect', () => (disconnected = true));

    const wrong = await request(baseUrl, 'POST', '/api/auth/password', {
      token: older,
      body: { currentPassword: 'not-my-password', newPassword: 'a-new-password-1' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/currentPassword/);
    const tooShort = await request(baseUrl, 'POST', '/api/auth/password', {
      token: older,
      body: { currentPassword: agent.password, newPassword: 'short' },
    });
    expect(tooShort.status).toBe(400);
    expect(JSON.stringify(tooShort.body)).toMatch(/newPassword must have at least 8/);
    // Nothing changed yet.
    expect((await request(other.baseUrl, 'GET', '/api/auth/me', { token: elsewhere })).status).toBe(
      200,
    );

    const changed = await request(baseUrl, 'POST', '/api/auth/password', {
      token: older,
      body: { currentPassword: agent.password, newPassword: 'a-new-password-1' },
    });
    expect(changed.status).toBe(200);
    const fresh = changed.body.accessToken as string;
    for (const node of [api, other]) {
      for (const token of [older, elsewhere]) {
        const refused = await request(node.baseUrl, 'GET', '/api/auth/me', { token });
        expect(refused.status).toBe(401);
        expect(refused.body.message).toMatch(/password was changed/);
      }
      expect((await request(node.baseUrl, 'GET', '/api/auth/me', { token: fresh })).status).toBe(
        200,
      );
    }
    // The sockets are dropped a moment after the change (PASSWORD_CHANGE_SOCKET_GRACE_MS).
    await eventually(async () => disconnected, 'the old socket to be disconnected');
    socket.close();
    await expect(connectSocket(other.baseUrl, elsewhere)).rejects.toThrow(
      /password was changed|no longer active/,
    );
    const renewed = await connectSocket(other.baseUrl, fresh);
    renewed.close();

    await expect(loginAs(baseUrl, agent)).rejects.toThrow(/401/);
    await loginAs(baseUrl, { email: agent.email, password: 'a-new-password-1' });
  });

  it('an operator creates an organization without a password: the owner sets it with the link; a password is still accepted', async () => {
    const operator = await loginAs(baseUrl, await createOperator(dataSource));
    const email = unique('owner');
    const created = await request(baseUrl, 'POST', '/api/platform/organizations', {
      token: operator,
      body: { name: 'Linked Org', owner: { email, name: 'Olga Owner' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.ownerSetup.setupUrl).toMatch(/\/setup\//);
    const token = tokenOf(created.body.ownerSetup.setupUrl);
    const info = await request(baseUrl, 'GET', `/api/auth/setup/${token}`);
    expect(info.body).toMatchObject({ email, role: 'owner', organizationName: 'Linked Org' });
    const done = await request(baseUrl, 'POST', `/api/auth/setup/${token}`, {
      body: { password: 'olga-password-1' },
    });
    expect(done.status).toBe(200);
    expect(done.body.user.organization.name).toBe('Linked Org');

    const withPassword = await request(baseUrl, 'POST', '/api/platform/organizations', {
      token: operator,
      body: {
        name: 'Old Style',
        owner: { email: unique('old'), name: 'O', password: 'a-long-password-1' },
      },
    });
    expect(withPassword.status).toBe(201);
    expect(withPassword.body.ownerSetup).toBeNull();
  });

  it('PLATFORM_OPERATOR_EMAIL without a password: the operator is created with a setup link in the log, once', async () => {
    const email = unique('platform-op');
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const links = () =>
      warn.mock.calls
        .map(([message]) => String(message))
        .filter((message) => message.includes(email) && message.includes('/setup/'));
    let node: RunningApi | undefined;
    try {
      node = await startApi({
        PLATFORM_OPERATOR_EMAIL: email,
        PUBLIC_BASE_URL: 'https://ops.example.test',
      });
      expect(links()).toHaveLength(1);
      const url = /(https:\/\/ops\.example\.test\/setup\/\S+)/.exec(links()[0])![1];
      await node.close();
      // A restart while the link still works prints none.
      node = await startApi({
        PLATFORM_OPERATOR_EMAIL: email,
        PUBLIC_BASE_URL: 'https://ops.example.test',
      });
      expect(links()).toHaveLength(1);
      const done = await request(node.baseUrl, 'POST', `/api/auth/setup/${tokenOf(url)}`, {
        body: { password: 'operator-password-1' },
      });
      expect(done.status).toBe(200);
      expect(done.body.user).toMatchObject({ email, role: 'operator', organization: null });
    } finally {
      warn.mockRestore();
      await node?.close();
    }
  });
});
