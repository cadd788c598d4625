import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/app-config';
import { standardWebhookHeaders } from '../../src/modules/providers/simulator/simulator-signature';
import { EndpointDirectory } from '../../src/modules/outbound-webhooks/endpoint-directory';
import { OutboundDeliveryService } from '../../src/modules/outbound-webhooks/outbound-delivery.service';
import { OutboundEventProducer } from '../../src/modules/outbound-webhooks/outbound-event-producer';
import { createOrganization, loginAs, request } from '../support/test-app';
import { simulatorSecret } from '../support/test-secrets';
import { eventually, RunningStack, startStack } from '../support/test-worker';
import { organizationWithUsRate } from '../support/us-rate';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A local receiver: records every request; `answers[path]` gives the statuses to answer in turn. */
class Receiver {
  readonly requests: Received[] = [];
  readonly answers = new Map<string, number[]>();
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.requests.push({
          path,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        });
        const queue = this.answers.get(path);
        const status = queue && queue.length > 1 ? queue.shift()! : (queue?.[0] ?? 200);
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(status < 300 ? 'thanks' : `no: ${'x'.repeat(3000)}`);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  on(path: string): Received[] {
    return this.requests.filter((request) => request.path === path);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

const verify = (secret: string, received: Received) =>
  new Webhook(secret).verify(received.body, {
    'webhook-id': String(received.headers['webhook-id']),
    'webhook-timestamp': String(received.headers['webhook-timestamp']),
    'webhook-signature': String(received.headers['webhook-signature']),
  }) as { type: string; timestamp: string; data: Record<string, unknown> };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('outbound webhooks (real PostgreSQL, Redis, worker; a local receiver)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;
  const receiver = new Receiver();
  let organizationId: string;
  let adminToken: string;
  let agentToken: string;

  beforeAll(async () => {
    await receiver.start();
    stack = await startStack({
      SIMULATOR_TIME_SCALE: '0.01',
      MAX_CALL_SECONDS: '600',
      OUTBOUND_WEBHOOK_ATTEMPTS: '5',
      OUTBOUND_WEBHOOK_RETRY_DELAY_MS: '100',
      OUTBOUND_WEBHOOK_TIMEOUT_MS: '2000',
    });
    dataSource = stack.api.dataSource;
    const users = await organizationWithUsRate(stack.api, 100_000_000n);
    organizationId = users.admin.organizationId;
    adminToken = await loginAs(stack.api.baseUrl, users.admin);
    agentToken = await loginAs(stack.api.baseUrl, users.agent);
  });
  afterAll(async () => {
    await stack?.close();
    await receiver.close();
  });

  const register = async (path: string, events: string[], token = adminToken) => {
    const created = await request(stack.api.baseUrl, 'POST', '/api/webhook-endpoints', {
      token,
      body: { url: `${receiver.url}${path}`, description: `test ${path}`, events },
    });
    expect(created.status).toBe(201);
    return created.body as { id: string; secret: string };
  };
  /** Until the worker (another process in production) has seen the endpoint. */
  const workerKnows = (endpointId: string, organization = organizationId) =>
    eventually(
      async () =>
        stack.worker
          .get(EndpointDirectory)
          .endpointsOf(organization)
          .some(({ id }) => id === endpointId),
      'the worker to know the endpoint',
    );
  const emit = (type: 'call.created' | 'campaign.updated', data: unknown) =>
    stack.api.app.get(OutboundEventProducer).enqueue([{ organizationId, type, data }]);

  it('delivers a simulated call’s events, each verified by the Standard Webhooks reference library; call.completed once', async () => {
    const endpoint = await register('/calls', ['call.created', 'call.updated', 'call.completed']);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    await workerKnows(endpoint.id);

    const placed = await request(stack.api.baseUrl, 'POST', '/api/calls', {
      token: agentToken,
      body: { provider: 'simulator', to: '+14155550105' },
    });
    expect(placed.status).toBe(201);
    const callId = placed.body.id as string;

    const events = () =>
      receiver
        .on('/calls')
        .map((received) => verify(endpoint.secret, received))
        .filter((event) => event.data.id === callId);
    await eventually(
      async () => events().some((event) => event.type === 'call.completed'),
      'call.completed to arrive',
    );
    await sleep(500); // a late duplicate would arrive by now
    const types = events().map((event) => event.type);
    expect(types[0]).toBe('call.created');
    expect(types).toContain('call.updated');
    expect(types.filter((type) => type === 'call.completed')).toHaveLength(1);
    const completed = events().find((event) => event.type === 'call.completed')!;
    expect(completed.data).toMatchObject({ id: callId, status: 'completed', to: '+14155550105' });
    expect(Date.parse(completed.timestamp)).not.toBeNaN();

    // Each is logged with its attempt.
    const deliveries = await request(
      stack.api.baseUrl,
      'GET',
      `/api/webhook-endpoints/${endpoint.id}/deliveries`,
      { token: adminToken },
    );
    expect(deliveries.status).toBe(200);
    const completedDelivery = deliveries.body.items.find(
      (item: { eventType: string }) => item.eventType === 'call.completed',
    );
    expect(completedDelivery).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(completedDelivery.attemptLog[0]).toMatchObject({
      statusCode: 200,
      responseExcerpt: 'thanks',
      succeeded: true,
    });
    expect(completedDelivery.attemptLog[0].latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('retries after a 500 with the same webhook-id, and stops after the success', async () => {
    receiver.answers.set('/flaky', [500, 500, 200]);
    const endpoint = await register('/flaky', ['campaign.updated']);
    const [deliveryId] = await emit('campaign.updated', { id: randomUUID(), status: 'running' });
    await eventually(async () => receiver.on('/flaky').length >= 3, 'three attempts');
    await sleep(1500); // backoff 100, 200, 400, 800 ms: a fourth attempt would have come
    const attempts = receiver.on('/flaky');
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((attempt) => attempt.headers['webhook-id'])).size).toBe(1);
    for (const attempt of attempts) verify(endpoint.secret, attempt);

    const list = await request(
      stack.api.baseUrl,
      'GET',
      `/api/webhook-endpoints/${endpoint.id}/deliveries`,
      { token: adminToken },
    );
    const delivery = list.body.items.find((item: { id: string }) => item.id === deliveryId);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 3, lastStatusCode: 200 });
    expect(
      delivery.attemptLog.map((attempt: { statusCode: number }) => attempt.statusCode),
    ).toEqual([200, 500, 500]);
    // The excerpt is at most 1 KB.
    expect(delivery.attemptLog[1].responseExcerpt.length).toBeLessThanOrEqual(1024);
    expect(delivery.attemptLog[1].error).toBe('HTTP 500 from the endpoint');

    // Resend: the same message again, signed again.
    const resent = await request(
      stack.api.baseUrl,
      'POST',
      `/api/webhook-endpoints/${endpoint.id}/deliveries/${deliveryId}/resend`,
      { token: adminToken },
    );
    expect(resent.status).toBe(202);
    await eventually(async () => receiver.on('/flaky').length === 4, 'the resend');
    expect(receiver.on('/flaky')[3].headers['webhook-id']).toBe(attempts[0].headers['webhook-id']);
  });

  it('a deleted endpoint receives nothing more (its pending retries stop)', async () => {
    receiver.answers.set('/gone', [500]);
    const endpoint = await register('/gone', ['call.created']);
    await emit('call.created', { id: randomUUID() });
    await eventually(async () => receiver.on('/gone').length >= 1, 'the first attempt');
    const deleted = await request(
      stack.api.baseUrl,
      'DELETE',
      `/api/webhook-endpoints/${endpoint.id}`,
      { token: adminToken },
    );
    expect(deleted.status).toBe(204);
    const atDeletion = receiver.on('/gone').length;
    await emit('call.created', { id: randomUUID() });
    await sleep(2000); // retries at 100, 200, 400, 800 ms would all have come
    expect(receiver.on('/gone').length).toBeLessThanOrEqual(atDeletion + 1); // one in flight at most
    const settled = receiver.on('/gone').length;
    await sleep(1000);
    expect(receiver.on('/gone').length).toBe(settled);
    expect(
      (
        await request(stack.api.baseUrl, 'GET', `/api/webhook-endpoints/${endpoint.id}`, {
          token: adminToken,
        })
      ).status,
    ).toBe(404);
  });

  it('rotation: during the overlap each delivery verifies with the old and with the new secret', async () => {
    const endpoint = await register('/rotated', ['campaign.updated']);
    const rotated = await request(
      stack.api.baseUrl,
      'POST',
      `/api/webhook-endpoints/${endpoint.id}/rotate-secret`,
      { token: adminToken },
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(
      23.9 * 3600 * 1000,
    );
    await emit('campaign.updated', { id: randomUUID() });
    await eventually(async () => receiver.on('/rotated').length >= 1, 'the delivery');
    const [received] = receiver.on('/rotated');
    expect(String(received.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(endpoint.secret, received).type).toBe('campaign.updated');
    expect(verify(rotated.body.secret, received).type).toBe('campaign.updated');
    expect(() => verify(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, received)).toThrow();
  });

  it('checks the target again at delivery: an address refused in production is never contacted', async () => {
    const endpoint = await register('/rebound', ['campaign.updated']);
    const production = Object.create(stack.worker.get(AppConfig), {
      outboundWebhooksAllowPrivate: { value: false },
    }) as AppConfig;
    const strict = new OutboundDeliveryService(
      dataSource,
      production,
      stack.worker.get(EndpointDirectory),
    );
    // Write the delivery without queueing it, then attempt it as a production worker would.
    const [row]: { id: string }[] = await dataSource.query(
      `INSERT INTO webhook_deliveries (endpoint_id, organization_id, message_id, event_type, body)
       VALUES ($1, $2, 'msg_rebound', 'campaign.updated', '{}') RETURNING id`,
      [endpoint.id, organizationId],
    );
    expect(await strict.attempt(row.id, true)).toBe('failed');
    expect(receiver.on('/rebound')).toHaveLength(0);
    const [attempt]: { error: string; status_code: number | null }[] = await dataSource.query(
      `SELECT error, status_code FROM webhook_delivery_attempts WHERE delivery_id = $1`,
      [row.id],
    );
    expect(attempt.status_code).toBeNull();
    expect(attempt.error).toMatch(/127\.0\.0\.1.*loopback, private or link-local/);
  });

  it('refuses a URL that is not http(s) or carries credentials (400 naming it)', async () => {
    for (const url of ['ftp://example.com/x', 'not a url', 'https://user:pw@example.com/x']) {
      const refused = await request(stack.api.baseUrl, 'POST', '/api/webhook-endpoints', {
        token: adminToken,
        body: { url, events: ['call.created'] },
      });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toMatch(/url/);
    }
    const badEvent = await request(stack.api.baseUrl, 'POST', '/api/webhook-endpoints', {
      token: adminToken,
      body: { url: `${receiver.url}/x`, events: ['call.exploded'] },
    });
    expect(badEvent.status).toBe(400);
    expect(agentToken).toBeTruthy();
    const asAgent = await request(stack.api.baseUrl, 'GET', '/api/webhook-endpoints', {
      token: agentToken,
    });
    expect(asAgent.status).toBe(403);
  });

  it('an endpoint failing for days is disabled and flagged; organization B cannot see or touch A’s endpoints (404)', async () => {
    receiver.answers.set('/down', [503]);
    const endpoint = await register('/down', ['campaign.updated']);
    await dataSource.query(
      `UPDATE webhook_endpoints SET failing_since = now() - interval '6 days' WHERE id = $1`,
      [endpoint.id],
    );
    await emit('campaign.updated', { id: randomUUID() });
    await eventually(async () => {
      const view = await request(
        stack.api.baseUrl,
        'GET',
        `/api/webhook-endpoints/${endpoint.id}`,
        { token: adminToken },
      );
      return view.body.enabled === false ? view.body : null;
    }, 'the endpoint to be disabled');
    const view = (
      await request(stack.api.baseUrl, 'GET', `/api/webhook-endpoints/${endpoint.id}`, {
        token: adminToken,
      })
    ).body;
    expect(view.disabledReason).toMatch(/failed for 5 days/);
    // Re-enabling clears the flag.
    const enabled = await request(
      stack.api.baseUrl,
      'PATCH',
      `/api/webhook-endpoints/${endpoint.id}`,
      { token: adminToken, body: { enabled: true } },
    );
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });

    const other = await createOrganization(dataSource, ['admin']);
    const otherToken = await loginAs(stack.api.baseUrl, other.users.admin);
    const list = await request(stack.api.baseUrl, 'GET', '/api/webhook-endpoints', {
      token: otherToken,
    });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
    const deliveryId = randomUUID();
    for (const [method, path, body] of [
      ['GET', `/api/webhook-endpoints/${endpoint.id}`],
      ['PATCH', `/api/webhook-endpoints/${endpoint.id}`, { description: 'mine now' }],
      ['DELETE', `/api/webhook-endpoints/${endpoint.id}`],
      ['POST', `/api/webhook-endpoints/${endpoint.id}/rotate-secret`],
      ['GET', `/api/webhook-endpoints/${endpoint.id}/deliveries`],
      ['POST', `/api/webhook-endpoints/${endpoint.id}/deliveries/${deliveryId}/resend`],
    ] as const) {
      const response = await request(stack.api.baseUrl, method, path, {
        token: otherToken,
        body,
      });
      expect([method, path, response.status]).toEqual([method, path, 404]);
    }
    const still = await request(stack.api.baseUrl, 'GET', `/api/webhook-endpoints/${endpoint.id}`, {
      token: adminToken,
    });
    expect(still.body.description).toBe('test /down');
  });

  it('GET /api/providers: configured providers, URLs from PUBLIC_BASE_URL, masked secrets, last-day counts', async () => {
    const before = await request(stack.api.baseUrl, 'GET', '/api/providers', {
      token: adminToken,
    });
    expect(before.status).toBe(200);
    const simulatorBefore = before.body.providers.find(
      (provider: { name: string }) => provider.name === 'simulator',
    );
    // A verified but malformed simulator webhook: stored as rejected.
    const raw = '{"id": "broken",';
    const rejected = await fetch(`${stack.api.baseUrl}/api/webhooks/simulator`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...standardWebhookHeaders(simulatorSecret(), `bad-${randomUUID()}`, raw),
      },
      body: raw,
    });
    expect(rejected.status).toBe(400);
    await dataSource.query(
      `INSERT INTO webhook_events (provider, dedupe_key, url, headers, raw_body, state, organization_id)
       VALUES ('simulator', $1, '/api/webhooks/simulator', '{}', '{}', 'dead', $2)`,
      [`dead-${randomUUID()}`, organizationId],
    );

    const after = await request(stack.api.baseUrl, 'GET', '/api/providers', { token: adminToken });
    const byName = Object.fromEntries(
      after.body.providers.map((provider: { name: string }) => [provider.name, provider]),
    );
    expect(after.body.publicBaseUrl).toBe(stack.env.PUBLIC_BASE_URL);
    expect(byName.simulator.configured).toBe(true);
    expect(byName.simulator.webhooks[0].url).toBe(
      `${stack.env.PUBLIC_BASE_URL}/api/webhooks/simulator`,
    );
    expect(byName.simulator.counts.received).toBeGreaterThan(simulatorBefore.counts.received);
    expect(byName.simulator.counts.rejected).toBe(simulatorBefore.counts.rejected + 1);
    expect(byName.simulator.counts.deadLettered).toBe(simulatorBefore.counts.deadLettered + 1);
    // Secrets are masked, never sent.
    const secret = byName.simulator.secrets[0];
    expect(secret).toMatchObject({ name: 'SIMULATOR_WEBHOOK_SECRET', set: true });
    expect(secret.masked).toMatch(/^whsec_••••.{4}$/);
    expect(JSON.stringify(after.body)).not.toContain(simulatorSecret().slice(6));
    expect(byName.twilio.webhooks.map((webhook: { url: string }) => webhook.url)).toContain(
      `${stack.env.PUBLIC_BASE_URL}/api/webhooks/twilio/voice`,
    );
    expect(byName.stripe).toMatchObject({ configured: false, kind: 'payments' });
    expect(byName.stripe.missing).toContain('STRIPE_SECRET_KEY');
    // Another organization's counts are its own.
    const other = await createOrganization(dataSource, ['admin']);
    const otherView = await request(stack.api.baseUrl, 'GET', '/api/providers', {
      token: await loginAs(stack.api.baseUrl, other.users.admin),
    });
    const otherSimulator = otherView.body.providers.find(
      (provider: { name: string }) => provider.name === 'simulator',
    );
    expect(otherSimulator.counts).toMatchObject({ received: 0, deadLettered: 0 });
    const agent = await request(stack.api.baseUrl, 'GET', '/api/providers', { token: agentToken });
    expect(agent.status).toBe(403);
  });
});
