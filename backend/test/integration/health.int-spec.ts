import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { QueueName } from '../../src/queue/queue-name';
import { request, RunningApi, startApi } from '../support/test-app';

describe('health and metrics', () => {
  let api: RunningApi;
  beforeAll(async () => {
    // Queues of its own: other test files leave jobs waiting in the shared test prefix.
    api = await startApi({ REDIS_PREFIX: `${process.env.REDIS_PREFIX}_health` });
  });
  afterAll(() => api.close());

  it('reports ready when PostgreSQL and Redis answer', async () => {
    const response = await request(api.baseUrl, 'GET', '/health/ready');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      checks: { database: { status: 'up' }, redis: { status: 'up' } },
    });
    expect((await request(api.baseUrl, 'GET', '/health/live')).body).toEqual({ status: 'ok' });
  });

  it('exposes Prometheus metrics with the HTTP latency histogram and queue depth', async () => {
    await request(api.baseUrl, 'GET', '/health/live');
    const response = await request(api.baseUrl, 'GET', '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(response.body).toMatch(
      /http_request_duration_seconds_bucket\{.*route="\/health\/live".*\}/,
    );
    expect(response.body).toMatch(/queue_jobs\{queue="webhook-events",state="waiting"\} 0\n/);

    const queue: Queue = api.app.get(getQueueToken(QueueName.WebhookEvents));
    await queue.add('probe', {}, { jobId: 'health-probe' });
    const afterAdd = await request(api.baseUrl, 'GET', '/metrics');
    expect(afterAdd.body).toMatch(/queue_jobs\{queue="webhook-events",state="waiting"\} 1\n/);
    await queue.obliterate({ force: true });
  });

  it('answers unknown API paths with the one error shape and a request id header', async () => {
    const response = await request(api.baseUrl, 'GET', '/api/does-not-exist', {
      headers: { 'x-request-id': 'test-request-1' },
    });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(response.headers.get('x-request-id')).toBe('test-request-1');
  });

  it('sends the security headers on every response: probes, API errors and webhooks alike', async () => {
    const responses = [
      await request(api.baseUrl, 'GET', '/health/live'),
      await request(api.baseUrl, 'GET', '/api/does-not-exist'),
      await request(api.baseUrl, 'POST', '/api/webhooks/simulator', { body: {} }), // 403, unsigned
    ];
    expect(responses.map((response) => response.status)).toEqual([200, 404, 403]);
    for (const { headers } of responses) {
      expect(headers.get('content-security-policy')).toBe(
        "default-src 'self';base-uri 'self';font-src 'self' data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';upgrade-insecure-requests;connect-src 'self' ws: wss: https:;media-src 'self' https: blob:",
      );
      expect(Object.fromEntries(headers)).toMatchObject({
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
      });
      expect(headers.get('x-powered-by')).toBeNull();
    }
  });

  it('serves the OpenAPI document', async () => {
    const response = await request(api.baseUrl, 'GET', '/api/docs-json');
    expect(response.status).toBe(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/users']),
    );
    // Routes with an `:id` document it as a path parameter.
    expect(response.body.paths['/api/calls/{id}'].get.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path', required: true })]),
    );
  });
});

describe('readiness without Redis', () => {
  let api: RunningApi;
  beforeAll(async () => {
    // Nothing listens on port 1: Redis is unreachable.
    api = await startApi({ REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(() => api.close());

  it('reports 503 and names Redis as down while PostgreSQL is up', async () => {
    const response = await request(api.baseUrl, 'GET', '/health/ready');
    expect(response.status).toBe(503);
    expect(response.body.status).toBe('unavailable');
    expect(response.body.checks.database).toEqual({ status: 'up' });
    expect(response.body.checks.redis.status).toBe('down');
  });
});
