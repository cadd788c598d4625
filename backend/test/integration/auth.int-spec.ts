import {
  createOrganization,
  loginAs,
  request,
  RunningApi,
  startApi,
  TestUser,
} from '../support/test-app';
import { User, UserRole } from '../../src/modules/auth/entities/user.entity';
import { hashPassword } from '../../src/modules/auth/password';

describe('auth, users and tenancy (real PostgreSQL and Redis)', () => {
  let api: RunningApi;
  let orgA: Record<UserRole, TestUser>;
  let orgB: Record<UserRole, TestUser>;

  beforeAll(async () => {
    api = await startApi();
    orgA = (await createOrganization(api.dataSource)).users;
    orgB = (await createOrganization(api.dataSource)).users;
  });

  afterAll(() => api.close());

  it('logs in with the right password and returns a token and the user with its organization', async () => {
    const response = await request(api.baseUrl, 'POST', '/api/auth/login', {
      body: { email: orgA.owner.email.toUpperCase(), password: orgA.owner.password },
    });
    expect(response.status).toBe(200);
    expect(typeof response.body.accessToken).toBe('string');
    expect(response.body.user).toMatchObject({
      id: orgA.owner.id,
      email: orgA.owner.email,
      role: 'owner',
      active: true,
      organization: { id: orgA.owner.organizationId },
    });
    expect(response.body.user.passwordHash).toBeUndefined();

    const me = await request(api.baseUrl, 'GET', '/api/auth/me', {
      token: response.body.accessToken,
    });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(orgA.owner.id);
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const wrongPassword = await request(api.baseUrl, 'POST', '/api/auth/login', {
      body: { email: orgA.agent.email, password: 'not-the-password' },
    });
    const unknownEmail = await request(api.baseUrl, 'POST', '/api/auth/login', {
      body: { email: 'nobody@example.test', password: 'not-the-password' },
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
    expect(wrongPassword.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Invalid email or password',
    });
  });

  it('refuses a request without a token, and one with a tampered token, with 401', async () => {
    const missing = await request(api.baseUrl, 'GET', '/api/auth/me');
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });

    const token = await loginAs(api.baseUrl, orgA.agent);
    const tampered = token.slice(0, -3) + (token.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await request(api.baseUrl, 'GET', '/api/auth/me', { token: tampered })).status).toBe(
      401,
    );
  });

  it('gives an agent 403 on an admin endpoint', async () => {
    const token = await loginAs(api.baseUrl, orgA.agent);
    const response = await request(api.baseUrl, 'GET', '/api/users', { token });
    expect(response.status).toBe(403);
    expect(response.body.message).toMatch(/owner or admin/);
  });

  it("lists only the caller's organization and answers 404 for another organization's user", async () => {
    const token = await loginAs(api.baseUrl, orgA.admin);
    const list = await request(api.baseUrl, 'GET', '/api/users', { token });
    expect(list.status).toBe(200);
    const ids = list.body.items.map((user: { id: string }) => user.id);
    expect(ids.sort()).toEqual([orgA.owner.id, orgA.admin.id, orgA.agent.id].sort());

    const read = await request(api.baseUrl, 'GET', `/api/users/${orgB.agent.id}`, { token });
    expect(read.status).toBe(404);
    const patch = await request(api.baseUrl, 'PATCH', `/api/users/${orgB.agent.id}`, {
      token,
      body: { active: false },
    });
    expect(patch.status).toBe(404);
    const stillActive = await request(api.baseUrl, 'POST', '/api/auth/login', {
      body: { email: orgB.agent.email, password: orgB.agent.password },
    });
    expect(stillActive.status).toBe(200);
  });

  it('rejects an unknown field and a malformed email with 400 naming the field', async () => {
    const token = await loginAs(api.baseUrl, orgA.admin);
    const unknownField = await request(api.baseUrl, 'POST', '/api/users', {
      token,
      body: {
        email: 'x@example.test',
        name: 'X',
        role: 'agent',
        password: 'long-enough',
        isSuperuser: true,
      },
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'property isSuperuser should not exist',
    });

    const badEmail = await request(api.baseUrl, 'POST', '/api/users', {
      token,
      body: { email: 'not-an-email', name: 'X', role: 'agent', password: 'long-enough' },
    });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.message).toBe('email must be a valid email address');
  });

  it('lets an admin create, re-role and deactivate a user, who can then no longer sign in', async () => {
    const token = await loginAs(api.baseUrl, orgA.admin);
    const email = `new-${Date.now()}@example.test`;
    const created = await request(api.baseUrl, 'POST', '/api/users', {
      token,
      body: { email, name: 'New Agent', role: 'agent', password: 'initial-password' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email, role: 'agent', active: true });

    const duplicate = await request(api.baseUrl, 'POST', '/api/users', {
      token,
      body: { email, name: 'Again', role: 'agent', password: 'initial-password' },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.message).toContain(email);

    const newUserToken = await loginAs(api.baseUrl, { email, password: 'initial-password' });
    const promoted = await request(api.baseUrl, 'PATCH', `/api/users/${created.body.id}`, {
      token,
      body: { role: 'admin' },
    });
    expect(promoted.body.role).toBe('admin');

    const deactivated = await request(api.baseUrl, 'PATCH', `/api/users/${created.body.id}`, {
      token,
      body: { active: false },
    });
    expect(deactivated.body.active).toBe(false);
    expect(
      (await request(api.baseUrl, 'GET', '/api/auth/me', { token: newUserToken })).status,
    ).toBe(401);
    const login = await request(api.baseUrl, 'POST', '/api/auth/login', {
      body: { email, password: 'initial-password' },
    });
    expect(login.status).toBe(401);
  });

  it('keeps owners in charge: an admin cannot create an owner or change one', async () => {
    const token = await loginAs(api.baseUrl, orgA.admin);
    const createOwner = await request(api.baseUrl, 'POST', '/api/users', {
      token,
      body: {
        email: `owner-${Date.now()}@example.test`,
        name: 'O',
        role: 'owner',
        password: 'initial-password',
      },
    });
    expect(createOwner.status).toBe(403);
    const demoteOwner = await request(api.baseUrl, 'PATCH', `/api/users/${orgA.owner.id}`, {
      token,
      body: { role: 'agent' },
    });
    expect(demoteOwner.status).toBe(403);
  });
});

describe('login rate limit', () => {
  let api: RunningApi;
  beforeAll(async () => {
    // Own key prefix: the other tests' sign-ins from 127.0.0.1 must not count here.
    api = await startApi({
      LOGIN_RATE_LIMIT_PER_MINUTE: '10',
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_ratelimit`,
    });
  });
  afterAll(() => api.close());

  it('allows 10 tries a minute for one email and answers the 11th with 429 and Retry-After', async () => {
    const email = `target-${Date.now()}@example.test`;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt += 1) {
      const response = await request(api.baseUrl, 'POST', '/api/auth/login', {
        body: { email, password: 'guess' },
      });
      statuses.push(response.status);
      if (attempt === 10) {
        expect(response.body.message).toMatch(/Too many sign-in attempts/);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
  });
});

describe('demo accounts hint', () => {
  it('lists the seeded demo sign-ins that exist outside production, and none in production', async () => {
    const development = await startApi();
    const production = await startApi({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      SIMULATOR_WEBHOOK_SECRET: `whsec_${Buffer.from('production simulator secret').toString('base64')}`,
    });
    try {
      const { organization } = await createOrganization(development.dataSource, []);
      await development.dataSource.getRepository(User).save({
        organizationId: organization.id,
        email: 'agent@demo.test',
        name: 'Demo agent',
        role: 'agent',
        passwordHash: await hashPassword('switchboard-agent'),
      });
      // The platform operator is listed too: the console has its /platform part.
      await development.dataSource.getRepository(User).save({
        organizationId: null,
        email: 'operator@demo.test',
        name: 'Platform operator',
        role: 'operator',
        passwordHash: await hashPassword('switchboard-operator'),
      });
      const listed = await request(development.baseUrl, 'GET', '/api/auth/demo-accounts');
      expect(listed.body).toEqual({
        items: [
          { email: 'agent@demo.test', password: 'switchboard-agent', role: 'agent' },
          { email: 'operator@demo.test', password: 'switchboard-operator', role: 'operator' },
        ],
      });
      expect((await request(production.baseUrl, 'GET', '/api/auth/demo-accounts')).body).toEqual({
        items: [],
      });
    } finally {
      await development.close();
      await production.close();
    }
  });
});
