import { INestApplicationContext, RequestMethod, Type } from '@nestjs/common';
import {
  METHOD_METADATA,
  PATH_METADATA,
  ROUTE_ARGS_METADATA,
  RouteParamtypes,
} from '@nestjs/common/internal';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AUDIENCE, IS_PUBLIC, REQUIRED_ROLES } from '../../src/modules/auth/auth.decorators';
import {
  ORGANIZATION_ROLES as USER_ROLES,
  UserRole,
} from '../../src/modules/auth/entities/user.entity';
import { assignPlanWithRates, US_PER_MINUTE } from '../support/us-rate';
import { ApiRoute, recordRoutes } from '../support/api-routes';
import { TEST_TWILIO } from '../support/provider-webhooks';
import {
  createOperator,
  createOrganization,
  loginAs,
  request,
  RunningApi,
  startApi,
  TestUser,
} from '../support/test-app';
import { eventually, freePort, startWorker } from '../support/test-worker';

/**
 * Walks every route the api registers (read from Fastify's router, so a new route is covered
 * without editing this file) as organization A, with organization B's ids in the path and in the
 * filters: 404 or an empty list, and none of B's data in any answer. Every route whose @Roles()
 * leaves a role out answers 403 to that role.
 */

/** Organization B's records the walk may ask for, and every string that would betray them. */
interface Foreign {
  owner: TestUser;
  ownerToken: string;
  userId: string;
  callId: string;
  contactId: string;
  contactPhone: string;
  callerIdId: string;
  webhookEventId: string;
  dncPhone: string;
  importId: string;
  campaignId: string;
  endpointId: string;
  organizationId: string;
  pricePlanId: string;
  apiKeyId: string;
  /** B's ids and marker strings: none may appear in an answer to A. */
  secrets: string[];
}

/**
 * How to name one of B's records in a route's path. A route with a parameter missing here fails
 * the walk: add it (a factory of B's ids, and a harmless body for a write).
 */
const FOREIGN_PATHS: Record<string, { id: (b: Foreign) => string; body?: unknown }> = {
  'GET /api/users/:id': { id: (b) => b.userId },
  'PATCH /api/users/:id': { id: (b) => b.userId, body: { name: 'Renamed by A' } },
  'POST /api/users/:id/setup-link': { id: (b) => b.userId },
  'GET /api/calls/:id': { id: (b) => b.callId },
  'PATCH /api/calls/:id': { id: (b) => b.callId, body: { note: 'Written by A' } },
  'POST /api/calls/:id/hangup': { id: (b) => b.callId },
  'GET /api/calls/:id/recording': { id: (b) => b.callId },
  'POST /api/calls/:id/quality-warnings': { id: (b) => b.callId, body: { warning: 'high-rtt' } },
  'GET /api/contacts/:id': { id: (b) => b.contactId },
  'PATCH /api/contacts/:id': { id: (b) => b.contactId, body: { notes: 'Written by A' } },
  'DELETE /api/contacts/:id': { id: (b) => b.contactId },
  'DELETE /api/caller-ids/:id': { id: (b) => b.callerIdId },
  'POST /api/admin/webhook-events/:id/replay': { id: (b) => b.webhookEventId },
  'DELETE /api/dnc/:phone': { id: (b) => encodeURIComponent(b.dncPhone) },
  'DELETE /api/api-keys/:id': { id: (b) => b.apiKeyId },
  'GET /api/contacts/imports/:id/report.csv': { id: (b) => b.importId },
  'GET /api/campaigns/:id': { id: (b) => b.campaignId },
  'POST /api/campaigns/:id/start': { id: (b) => b.campaignId },
  'POST /api/campaigns/:id/pause': { id: (b) => b.campaignId },
  'POST /api/campaigns/:id/resume': { id: (b) => b.campaignId },
  'POST /api/campaigns/:id/cancel': { id: (b) => b.campaignId },
  'GET /api/campaigns/:id/contacts': { id: (b) => b.campaignId },
  'GET /api/campaigns/:id/stats': { id: (b) => b.campaignId },
  'GET /api/campaigns/:id/contacts.csv': { id: (b) => b.campaignId },
  // Operators only: organization members get 403 whatever the id.
  'GET /api/platform/organizations/:id': { id: (b) => b.organizationId },
  'PATCH /api/platform/organizations/:id': {
    id: (b) => b.organizationId,
    body: { suspended: true },
  },
  'POST /api/platform/organizations/:id/credits': {
    id: (b) => b.organizationId,
    body: { amountMicros: '1000000', reason: 'Written by A' },
  },
  'POST /api/platform/calls/:id/refund': { id: (b) => b.callId, body: { reason: 'by A' } },
  'GET /api/webhook-endpoints/:id': { id: (b) => b.endpointId },
  'PATCH /api/webhook-endpoints/:id': {
    id: (b) => b.endpointId,
    body: { description: 'Written by A', enabled: false },
  },
  'DELETE /api/webhook-endpoints/:id': { id: (b) => b.endpointId },
  'POST /api/webhook-endpoints/:id/rotate-secret': { id: (b) => b.endpointId },
  'GET /api/webhook-endpoints/:id/deliveries': { id: (b) => b.endpointId },
  // Both parameters get B's endpoint id: the endpoint is B's, so 404 before the delivery is read.
  'POST /api/webhook-endpoints/:id/deliveries/:deliveryId/resend': { id: (b) => b.endpointId },
  'GET /api/platform/price-plans/:id/rates': { id: (b) => b.pricePlanId },
  'PUT /api/platform/price-plans/:id/rates': { id: (b) => b.pricePlanId, body: { rates: [] } },
};

/**
 * What to put in a query parameter that names one of B's records. A filter that takes an id
 * (a UUID, or a name ending in `Id`) and is missing here fails the walk. `cursor` is B's own
 * nextCursor of the same listing.
 */
const FOREIGN_FILTERS: Record<string, (b: Foreign) => string> = {
  agentId: (b) => b.userId,
  contactId: (b) => b.contactId,
  phone: (b) => b.contactPhone,
  // The audit log: B's people, B itself, B's records.
  actorId: (b) => b.owner.id,
  organizationId: (b) => b.organizationId,
  targetId: (b) => b.callerIdId,
  // Searches match numbers (calls, contacts) and names: B's contact's number matches B's call too.
  q: (b) => b.contactPhone.slice(1),
};

/** Filters that narrow to B's records: with one of them the answer must hold no items at all. */
const NARROWING = new Set([
  'agentId',
  'contactId',
  'phone',
  'q',
  'actorId',
  'organizationId',
  'targetId',
]);

const MARKER = `orgb${randomUUID().slice(0, 8)}`;

interface Handler {
  method: string;
  url: string;
  isPublic: boolean;
  /** The roles @Roles() allows; undefined when the route does not restrict roles. */
  roles?: UserRole[];
  /** The query parameters it reads (a @Query() DTO's properties, or @Query('name')). */
  query: { name: string; isId: boolean }[];
  queryDto?: Type<unknown>;
}

const joinPath = (...parts: (string | undefined)[]) =>
  `/${parts
    .flatMap((part) => (part ? part.split('/') : []))
    .filter(Boolean)
    .join('/')}`;

/** Every controller method with its route metadata, read the way Nest's router reads it. */
function nestHandlers(
  app: INestApplicationContext,
): (Omit<Handler, 'url'> & { paths: string[] })[] {
  const reflector = app.get(Reflector);
  const scanner = new MetadataScanner();
  const validation = getMetadataStorage();
  const handlers: (Omit<Handler, 'url'> & { paths: string[] })[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller) continue;
      const controllerPaths = [Reflect.getMetadata(PATH_METADATA, controller) ?? ''].flat();
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const method = controller.prototype[name] as (...args: unknown[]) => unknown;
        const methodPath = Reflect.getMetadata(PATH_METADATA, method) as
          string | string[] | undefined;
        if (methodPath === undefined) continue;
        const requestMethod = RequestMethod[Reflect.getMetadata(METHOD_METADATA, method)];
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<
          string,
          { index: number; data?: unknown }
        >;
        const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, name) ??
          []) as Type<unknown>[];
        const query: Handler['query'] = [];
        let queryDto: Type<unknown> | undefined;
        for (const [key, arg] of Object.entries(args)) {
          if (key.split(':')[0] !== String(RouteParamtypes.QUERY)) continue;
          if (typeof arg.data === 'string') {
            query.push({ name: arg.data, isId: /Id$/.test(arg.data) });
            continue;
          }
          const dto = types[arg.index];
          if (!dto || dto === Object) continue; // an open map (e.g. CSV column names)
          queryDto = dto;
          const metadata = validation.getTargetValidationMetadatas(dto, '', true, false);
          for (const property of new Set(metadata.map((entry) => entry.propertyName))) {
            const isUuid = metadata.some(
              (entry) =>
                entry.propertyName === property &&
                /uuid/i.test(`${entry.name ?? ''}${entry.constraintCls?.name ?? ''}`),
            );
            query.push({ name: property, isId: isUuid || /Id$/.test(property) });
          }
        }
        handlers.push({
          method: requestMethod,
          paths: [methodPath]
            .flat()
            .flatMap((path) => controllerPaths.map((prefix) => joinPath(prefix, path))),
          isPublic: Boolean(reflector.getAllAndOverride<boolean>(IS_PUBLIC, [method, controller])),
          // @Platform() routes are the operator's: no organization role may use them.
          roles:
            reflector.getAllAndOverride<string | undefined>(AUDIENCE, [method, controller]) ===
            'platform'
              ? ['operator']
              : reflector.getAllAndOverride<UserRole[] | undefined>(REQUIRED_ROLES, [
                  method,
                  controller,
                ]),
          query,
          queryDto,
        });
      }
    }
  }
  return handlers;
}

/** Routes no controller serves, and that hold no organization's data: the OpenAPI pages, the console's files. */
const NOT_CONTROLLERS = [/^\/api\/docs(\/|-json|-yaml|$)/, /^\/\*$/];

/** Matches each route Fastify registered to its controller method (global prefix or not). */
function describeRoutes(app: INestApplicationContext, routes: ApiRoute[]): Handler[] {
  const handlers = nestHandlers(app);
  const unmatched: string[] = [];
  const served = routes.filter(
    (route) => !NOT_CONTROLLERS.some((pattern) => pattern.test(route.url)),
  );
  const described = served.map((route) => {
    const handler = handlers.find(
      (candidate) =>
        candidate.method === route.method &&
        candidate.paths.some((path) => route.url === path || route.url === joinPath('api', path)),
    );
    if (!handler) {
      unmatched.push(`${route.method} ${route.url}`);
      return undefined;
    }
    const { paths: _paths, ...rest } = handler;
    return { ...rest, url: route.url };
  });
  if (unmatched.length)
    throw new Error(
      `route-isolation: no controller method found for ${unmatched.join(', ')}; ` +
        'teach describeRoutes() how that route is registered',
    );
  return described as Handler[];
}

describe('tenant isolation: every route, called with another organization’s ids', () => {
  let api: RunningApi;
  let worker: INestApplicationContext;
  let dataSource: DataSource;
  let routes: ApiRoute[] = [];
  let handlers: Handler[];
  let b: Foreign;
  const tokens = {} as Record<UserRole, string>;

  beforeAll(async () => {
    const port = await freePort();
    const env = {
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      SIMULATOR_TIME_SCALE: '0.01',
      ...TEST_TWILIO,
    };
    api = await startApi(env, port, { beforeListen: (app) => (routes = recordRoutes(app)) });
    worker = await startWorker(env);
    dataSource = api.dataSource;
    handlers = describeRoutes(api.app, routes);

    const a = await createOrganization(dataSource, ['owner', 'admin', 'agent']);
    for (const role of USER_ROLES) tokens[role] = await loginAs(api.baseUrl, a.users[role]);
    b = await seedForeignOrganization(api.baseUrl, dataSource);
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('finds the routes to walk', () => {
    expect(handlers.length).toBeGreaterThan(20);
    expect(handlers.some((route) => route.url === '/api/calls/:id')).toBe(true);
    // Nothing to walk would prove nothing: the metadata was read.
    expect(handlers.find((route) => route.url === '/api/users')?.roles).toEqual(['owner', 'admin']);
    expect(
      handlers.find((route) => route.url === '/api/calls' && route.method === 'GET')?.query,
    ).toEqual(expect.arrayContaining([{ name: 'agentId', isId: true }]));
  });

  it('answers 404 to every route given the id of another organization’s record, and changes nothing', async () => {
    const missing = handlers
      .filter((route) => !route.isPublic && route.url.includes(':'))
      .filter((route) => !FOREIGN_PATHS[`${route.method} ${route.url}`])
      .map((route) => `${route.method} ${route.url}`);
    expect({
      missing,
      hint: 'add these routes to FOREIGN_PATHS in route-isolation.int-spec.ts',
    }).toEqual({ missing: [], hint: expect.any(String) });

    const failures: string[] = [];
    for (const route of handlers.filter((candidate) => candidate.url.includes(':'))) {
      if (route.isPublic) continue;
      const foreign = FOREIGN_PATHS[`${route.method} ${route.url}`];
      const path = route.url.replace(/:[A-Za-z0-9_]+/g, foreign.id(b));
      for (const role of allowedRoles(route)) {
        const response = await request(api.baseUrl, route.method, path, {
          token: tokens[role],
          body: foreign.body,
        });
        if (response.status !== 404)
          failures.push(`${role} ${route.method} ${path}: ${response.status} (expected 404)`);
        // What A put in the path (decoded: `%2B…` is a number A typed) may be echoed back.
        failures.push(
          ...leaks(`${role} ${route.method} ${path}`, response.body, [
            path,
            decodeURIComponent(path),
          ]),
        );
      }
    }
    expect(failures).toEqual([]);

    // B's records are as B left them.
    const [user] = await dataSource.query(`SELECT name, role, active FROM users WHERE id = $1`, [
      b.userId,
    ]);
    expect(user).toEqual({ name: `${MARKER} agent`, role: 'agent', active: true });
    const [contact] = await dataSource.query(
      `SELECT notes, deleted_at FROM contacts WHERE id = $1`,
      [b.contactId],
    );
    expect(contact).toEqual({ notes: `${MARKER} contact notes`, deleted_at: null });
    const [call] = await dataSource.query(`SELECT note FROM calls WHERE id = $1`, [b.callId]);
    expect(call.note).toBeNull();
    const [callerIds] = await dataSource.query(
      `SELECT count(*)::int AS n FROM caller_ids WHERE id = $1`,
      [b.callerIdId],
    );
    expect(callerIds.n).toBe(1);
    const [dnc] = await dataSource.query(
      `SELECT count(*)::int AS n FROM dnc_numbers WHERE phone = $1 AND organization_id = $2`,
      [b.dncPhone, b.organizationId],
    );
    expect(dnc.n).toBe(1);
    const [key] = await dataSource.query(`SELECT revoked_at FROM api_keys WHERE id = $1`, [
      b.apiKeyId,
    ]);
    expect(key.revoked_at).toBeNull();
  }, 120_000);

  it('answers an empty list to every listing filtered by another organization’s ids or cursor', async () => {
    const failures: string[] = [];
    const cursors = await foreignCursors();
    for (const route of handlers) {
      if (route.isPublic || route.method !== 'GET' || route.url.includes(':')) continue;
      const params = new URLSearchParams();
      for (const { name, isId } of route.query) {
        if (name === 'cursor') {
          const cursor = route.queryDto && cursors.get(route.queryDto);
          if (!cursor) {
            failures.push(
              `${route.url}: no cursor of organization B for ${route.queryDto?.name}; give B two rows of it`,
            );
            continue;
          }
          params.set('cursor', cursor);
        } else if (FOREIGN_FILTERS[name]) {
          params.set(name, FOREIGN_FILTERS[name](b));
        } else if (isId) {
          failures.push(
            `${route.url}?${name}=: add a factory of organization B's ids to FOREIGN_FILTERS`,
          );
        }
      }
      // Each filter alone, then all together: one that is ignored must not hide another's leak.
      const variants = [...params.entries()].map(
        ([name, value]) => new URLSearchParams({ [name]: value }),
      );
      if (params.size !== 1) variants.push(params);
      for (const variant of variants) {
        const narrowing = [...variant.keys()].some((name) => NARROWING.has(name));
        const path = variant.size ? `${route.url}?${variant.toString()}` : route.url;
        for (const role of allowedRoles(route)) {
          const response = await request(api.baseUrl, 'GET', path, { token: tokens[role] });
          const what = `${role} GET ${path}`;
          if (response.status >= 500) failures.push(`${what}: ${response.status}`);
          failures.push(...leaks(what, response.body, [...variant.values()]));
          if (narrowing && response.status < 300) {
            const body = response.body as { items?: unknown[]; found?: boolean };
            if (Array.isArray(body?.items) && body.items.length)
              failures.push(`${what}: ${body.items.length} item(s) instead of none`);
            if (body?.found === true) failures.push(`${what}: found another organization's record`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('answers 403 to every role an admin route’s @Roles() leaves out', async () => {
    const restricted = handlers.filter((route) => !route.isPublic && route.roles);
    expect(restricted.length).toBeGreaterThan(5);
    const failures: string[] = [];
    for (const route of restricted) {
      const path = route.url.replace(/:[A-Za-z0-9_]+/g, randomUUID());
      for (const role of USER_ROLES.filter((candidate) => !route.roles!.includes(candidate))) {
        const response = await request(api.baseUrl, route.method, path, { token: tokens[role] });
        if (response.status !== 403)
          failures.push(`${role} ${route.method} ${path}: ${response.status} (expected 403)`);
      }
    }
    expect(failures).toEqual([]);
    // Agents are refused every admin route (so the loop above did run for them).
    expect(restricted.every((route) => !route.roles!.includes('agent'))).toBe(true);
  });

  const allowedRoles = (route: Handler) =>
    USER_ROLES.filter((role) => !route.roles || route.roles.includes(role));

  /** B's secrets found in an answer, except what the request itself carried (echoed back). */
  function leaks(what: string, body: unknown, sent: string[]): string[] {
    const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
    return b.secrets
      .filter((secret) => !sent.some((value) => value.includes(secret)))
      .filter((secret) => text.includes(secret))
      .map((secret) => `${what}: answered organization B's ${secret}`);
  }

  /** B's nextCursor for each listing query type, read from a listing of B's that returns one. */
  async function foreignCursors(): Promise<Map<Type<unknown>, string>> {
    const cursors = new Map<Type<unknown>, string>();
    for (const route of handlers) {
      if (route.isPublic || route.method !== 'GET' || !route.queryDto) continue;
      if (cursors.has(route.queryDto) || !route.query.some(({ name }) => name === 'cursor'))
        continue;
      const response = await request(api.baseUrl, 'GET', `${route.url}?limit=1`, {
        token: b.ownerToken,
      });
      const next = (response.body as { nextCursor?: string } | undefined)?.nextCursor;
      if (typeof next === 'string') cursors.set(route.queryDto, next);
    }
    return cursors;
  }
});

/**
 * Organization B with two of everything A could ask for, made through the API as B's people
 * would (and the worker, which turns the simulator's webhooks into call events and charges).
 */
async function seedForeignOrganization(baseUrl: string, dataSource: DataSource): Promise<Foreign> {
  const { organization, users } = await createOrganization(dataSource, ['owner', 'agent']);
  await dataSource.query(`UPDATE organizations SET name = $1 WHERE id = $2`, [
    `${MARKER} organization`,
    organization.id,
  ]);
  await dataSource.query(`UPDATE users SET name = $1 || ' ' || role WHERE organization_id = $2`, [
    MARKER,
    organization.id,
  ]);
  const ownerToken = await loginAs(baseUrl, users.owner);
  const agentToken = await loginAs(baseUrl, users.agent);
  const post = async (path: string, token: string, body: unknown, headers = {}) => {
    const response = await request(baseUrl, 'POST', path, { token, body, headers });
    if (response.status >= 300)
      throw new Error(`seeding ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { id: string; phone: string };
  };

  const contacts = [];
  for (const [index, phone] of ['+14155550171', '+14155550172'].entries())
    contacts.push(
      await post('/api/contacts', ownerToken, {
        name: `${MARKER} contact ${index}`,
        phone,
        company: `${MARKER} company`,
        notes: `${MARKER} contact notes`,
      }),
    );
  const callerIds = [];
  for (const [index, number] of ['+14155550181', '+14155550182'].entries())
    callerIds.push(
      await post('/api/caller-ids', ownerToken, { number, label: `${MARKER} line ${index}` }),
    );
  const operatorToken = await loginAs(baseUrl, await createOperator(dataSource));
  for (const index of [1, 2])
    await post(
      `/api/platform/organizations/${organization.id}/credits`,
      operatorToken,
      { amountMicros: '5000000', reason: `${MARKER} credit ${index}` },
      { 'idempotency-key': randomUUID() },
    );
  const pricePlanId = await assignPlanWithRates({ baseUrl, dataSource }, organization.id, [
    { ...US_PER_MINUTE, description: `${MARKER} plan rate` },
  ]);
  const calls = [];
  for (const contact of contacts)
    calls.push(
      await post('/api/calls', agentToken, {
        provider: 'simulator',
        to: contact.phone,
        scenario: 'completed',
        talkSeconds: 5,
      }),
    );
  // The simulator's webhooks: events matched to B's calls, call events, charges.
  await eventually(
    async () => {
      const [{ n }] = await dataSource.query(
        `SELECT count(*)::int AS n FROM calls WHERE organization_id = $1 AND status = 'completed'`,
        [organization.id],
      );
      return n === calls.length;
    },
    "organization B's calls to complete",
    60_000,
  );
  const dncPhones = ['+14155550191', '+14155550192'];
  const dnc = [];
  for (const phone of dncPhones)
    dnc.push(await post('/api/dnc', ownerToken, { phone, reason: `${MARKER} opted out` }));
  // An import with a problem row, so it has a report.
  const imported = await fetch(`${baseUrl}/api/contacts/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'text/csv' },
    body: `name,phone\n${MARKER} import,not-a-number\n`,
  });
  if (imported.status !== 200 && imported.status !== 201)
    throw new Error(`B's import failed: ${imported.status} ${await imported.text()}`);
  const importReport = (await imported.json()) as { id: string };
  // Two draft campaigns over B's contacts (never started: nothing dialed).
  const campaigns = [];
  for (let index = 0; index < 2; index++)
    campaigns.push(
      await post('/api/campaigns', ownerToken, {
        name: `${MARKER} campaign ${index}`,
        provider: 'simulator',
        audience: { contactIds: contacts.map((contact) => contact.id) },
        pacing: { maxConcurrent: 1 },
      }),
    );
  const apiKeys = [];
  for (const name of ['one', 'two'])
    apiKeys.push(
      await post('/api/api-keys', ownerToken, { name: `${MARKER} key ${name}`, role: 'admin' }),
    );
  // An outbound webhook endpoint (development allows a loopback target).
  const endpoint = (await post('/api/webhook-endpoints', ownerToken, {
    url: 'http://127.0.0.1:9/hook',
    description: `${MARKER} endpoint`,
    events: ['call.completed'],
  })) as unknown as { id: string; secret: string };
  const [event] = await dataSource.query(
    `SELECT id FROM webhook_events WHERE organization_id = $1 LIMIT 1`,
    [organization.id],
  );

  const userIds = Object.values(users).map((user) => user.id);
  return {
    owner: users.owner,
    ownerToken,
    userId: users.agent.id,
    callId: calls[0].id,
    contactId: contacts[0].id,
    contactPhone: contacts[0].phone,
    callerIdId: callerIds[0].id,
    webhookEventId: event.id,
    dncPhone: dncPhones[0],
    importId: importReport.id,
    campaignId: campaigns[0].id,
    endpointId: endpoint.id,
    organizationId: organization.id,
    pricePlanId,
    apiKeyId: apiKeys[0].id,
    secrets: [
      ...apiKeys.map((key) => key.id),
      ...apiKeys.map((key) => (key as unknown as { secret: string }).secret),
      ...campaigns.map((campaign) => campaign.id),
      endpoint.id,
      endpoint.secret,
      importReport.id,
      MARKER,
      organization.id,
      ...userIds,
      ...contacts.map((contact) => contact.id),
      ...contacts.map((contact) => contact.phone),
      ...callerIds.map((callerId) => callerId.id),
      ...['+14155550181', '+14155550182'],
      ...dncPhones,
      ...dnc.map((entry) => entry.id),
      ...calls.map((call) => call.id),
      ...(
        await dataSource.query(`SELECT id FROM webhook_events WHERE organization_id = $1`, [
          organization.id,
        ])
      ).map((row: { id: string }) => row.id),
      ...(
        await dataSource.query(`SELECT id FROM ledger_transactions WHERE organization_id = $1`, [
          organization.id,
        ])
      ).map((row: { id: string }) => row.id),
    ],
  };
}
