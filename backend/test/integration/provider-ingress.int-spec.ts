import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserRole } from '../../src/modules/auth/entities/user.entity';
import { CallEvent } from '../../src/modules/calls/entities/call-event.entity';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { WebhookEvent } from '../../src/modules/webhooks/entities/webhook-event.entity';
import {
  FixtureRequestOptions,
  loadFixture,
  readJsonFixture,
} from '../fixtures/providers/load-fixture';
import { createOrganization, TestUser } from '../support/test-app';
import { eventually, RunningStack, startStack } from '../support/test-worker';

const EXOTEL = {
  EXOTEL_ACCOUNT_SID: 'acmeconsole1',
  EXOTEL_API_KEY: 'exotel-key',
  EXOTEL_API_TOKEN: 'exotel-token',
  EXOTEL_CALLER_ID: '08047112233',
  EXOTEL_WEBHOOK_TOKEN: 'exotel-callback-secret-0123456789',
};
const BOLNA = {
  BOLNA_API_KEY: 'bn-key',
  BOLNA_AGENT_ID: randomUUID(),
  BOLNA_WEBHOOK_SECRET: 'bolna-webhook-secret-0123456789',
};

/** Sends a fixture over HTTP exactly as the provider would (same body bytes and content type). */
async function deliver(baseUrl: string, fixture: string, options: FixtureRequestOptions) {
  const incoming = loadFixture(fixture, options);
  const response = await fetch(`${baseUrl}${incoming.url}`, {
    method: 'POST',
    headers: incoming.headers as Record<string, string>,
    body: incoming.rawBody,
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('Exotel and Bolna webhooks through the HTTP ingress (real payload formats)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;
  let owner: TestUser;

  beforeAll(async () => {
    stack = await startStack({ ...EXOTEL, ...BOLNA });
    dataSource = stack.api.dataSource;
    owner = (await createOrganization(dataSource, ['owner'] as UserRole[])).users.owner;
  });
  afterAll(() => stack.close());

  const callWith = (provider: 'exotel' | 'bolna', providerCallId: string) =>
    dataSource.getRepository(Call).save({
      organizationId: owner.organizationId,
      agentId: owner.id,
      provider,
      providerCallId,
      direction: 'outbound',
      toNumber: '+919812300100',
      country: 'IN',
      status: 'initiated',
      metadata: {},
    } as Call);

  const timelineOf = (callId: string, count: number) =>
    eventually(async () => {
      const entries = await dataSource
        .getRepository(CallEvent)
        .find({ where: { callId }, order: { receivedAt: 'ASC' } });
      return entries.length >= count ? entries : null;
    }, `${count} events of call ${callId}`);

  it('follows an Exotel call from multipart callbacks: agent leg answered (ringing), customer answered, completed', async () => {
    const { CallSid } = readJsonFixture<{ CallSid: string }>('exotel/status-completed.json');
    const call = await callWith('exotel', CallSid);
    const url = `/api/webhooks/exotel/status?token=${EXOTEL.EXOTEL_WEBHOOK_TOKEN}&callId=${call.id}`;

    expect(
      (
        await deliver(stack.api.baseUrl, 'exotel/status-answered-first-leg.form.txt', {
          url,
          encoding: 'multipart',
        })
      ).status,
    ).toBe(200);
    await timelineOf(call.id, 1);
    expect(
      (
        await deliver(stack.api.baseUrl, 'exotel/status-answered.form.txt', {
          url,
          encoding: 'multipart',
        })
      ).status,
    ).toBe(200);
    await timelineOf(call.id, 2);
    expect((await deliver(stack.api.baseUrl, 'exotel/status-completed.json', { url })).status).toBe(
      200,
    );
    const entries = await timelineOf(call.id, 3);

    expect(entries.map((entry) => [entry.status, entry.applied])).toEqual([
      ['ringing', true],
      ['in_progress', true],
      ['completed', true],
    ]);
    const after = await dataSource.getRepository(Call).findOneByOrFail({ id: call.id });
    expect(after).toMatchObject({ status: 'completed', billableSeconds: 87 });
    expect(after.recordingUrl).toMatch(/308709479de1d2c28738bc150b909fee\.mp3$/);
    // The secret token is not stored with the raw request.
    const stored = await dataSource.getRepository(WebhookEvent).findBy({ callId: call.id });
    expect(stored.every((event) => !event.url.includes(EXOTEL.EXOTEL_WEBHOOK_TOKEN))).toBe(true);
  });

  it('accepts Exotel URL-encoded callbacks too, and refuses a wrong token with 403', async () => {
    const wrong = await deliver(stack.api.baseUrl, 'exotel/status-busy.form.txt', {
      url: '/api/webhooks/exotel/status?token=guess',
      encoding: 'urlencoded',
    });
    expect(wrong.status).toBe(403);
    const right = await deliver(stack.api.baseUrl, 'exotel/status-busy.form.txt', {
      url: `/api/webhooks/exotel/status?token=${EXOTEL.EXOTEL_WEBHOOK_TOKEN}`,
      encoding: 'urlencoded',
      override: { CallSid: `busy${Date.now()}` },
    });
    expect(right.status).toBe(200);
  });

  it('follows a Bolna execution: call-disconnected ends the call, the later completed enriches it with duration and cost', async () => {
    const executionId = randomUUID();
    const call = await callWith('bolna', executionId);
    const headers = { authorization: `Bearer ${BOLNA.BOLNA_WEBHOOK_SECRET}` };
    const override = { id: executionId };
    for (const status of ['queued', 'ringing', 'in-progress', 'call-disconnected', 'completed']) {
      const response = await deliver(stack.api.baseUrl, `bolna/execution-${status}.json`, {
        url: '/api/webhooks/bolna',
        headers,
        override,
      });
      expect(response.status).toBe(200);
      await timelineOf(
        call.id,
        ['queued', 'ringing', 'in-progress', 'call-disconnected', 'completed'].indexOf(status) + 1,
      );
    }
    const entries = await timelineOf(call.id, 5);
    expect(entries.map((entry) => entry.outcome)).toEqual([
      'same_status',
      'applied',
      'applied',
      'applied',
      'already_terminal+enriched',
    ]);
    const after = await dataSource.getRepository(Call).findOneByOrFail({ id: call.id });
    expect(after.status).toBe('completed');
    expect(after.billableSeconds).toBe(95);
    expect(after.providerCostMicros).toBe(187_600n); // 18.76 cents
    expect(after.providerCurrency).toBe('USD');
  });

  it('refuses a Bolna webhook without the secret header, and keeps a verified but unparseable one as rejected (400)', async () => {
    const unsigned = await deliver(stack.api.baseUrl, 'bolna/execution-ringing.json', {
      url: '/api/webhooks/bolna',
    });
    expect(unsigned.status).toBe(403);

    const response = await fetch(`${stack.api.baseUrl}/api/webhooks/bolna`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${BOLNA.BOLNA_WEBHOOK_SECRET}`,
      },
      body: '{"id": "broken", "status": ',
    });
    const body = (await response.json()) as { message: string };
    expect(response.status).toBe(400);
    expect(body.message).toMatch(/^Malformed JSON body/);
    const kept = await dataSource
      .getRepository(WebhookEvent)
      .findOneByOrFail({ provider: 'bolna', state: 'rejected' });
    expect(kept.rawBody).toBe('{"id": "broken", "status": ');
    expect(kept.headers.authorization).toBe('[redacted]');
  });
});
