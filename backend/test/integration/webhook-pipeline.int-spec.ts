import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserRole } from '../../src/modules/auth/entities/user.entity';
import { CallEvent } from '../../src/modules/calls/entities/call-event.entity';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { ProviderName } from '../../src/modules/providers/provider-adapter';
import { WebhookEvent } from '../../src/modules/webhooks/entities/webhook-event.entity';
import { QueueName } from '../../src/queue/queue-name';
import {
  postSimulatorWebhook,
  postTwilioStatus,
  simulatorEvent,
} from '../support/provider-webhooks';
import { createOrganization, loginAs, request, TestUser } from '../support/test-app';
import { eventually, RunningStack, startStack } from '../support/test-worker';

async function createCall(
  dataSource: DataSource,
  owner: TestUser,
  provider: ProviderName = 'simulator',
  overrides: Partial<Call> = {},
): Promise<Call> {
  return dataSource.getRepository(Call).save({
    organizationId: owner.organizationId,
    agentId: owner.id,
    provider,
    providerCallId: `${provider.toUpperCase()}${randomBytes(8).toString('hex')}`,
    direction: 'outbound',
    toNumber: '+14155550100',
    country: 'US',
    status: 'initiated',
    timeLimitSeconds: 3600,
    metadata: {},
    ...overrides,
  } as Call);
}

const timeline = (dataSource: DataSource, callId: string) =>
  dataSource
    .getRepository(CallEvent)
    .find({ where: { callId }, order: { receivedAt: 'ASC', occurredAt: 'ASC' } });

const reload = (dataSource: DataSource, id: string) =>
  dataSource.getRepository(Call).findOneByOrFail({ id });

async function settled(
  dataSource: DataSource,
  callId: string,
  events: number,
): Promise<CallEvent[]> {
  return eventually(async () => {
    const entries = await timeline(dataSource, callId);
    return entries.length >= events ? entries : null;
  }, `${events} timeline entries for call ${callId}`);
}

describe('webhook pipeline: ingress → webhook_events → BullMQ → worker (real PostgreSQL and Redis)', () => {
  let stack: RunningStack;
  let dataSource: DataSource;
  let orgA: Record<UserRole, TestUser>;
  let orgB: Record<UserRole, TestUser>;

  beforeAll(async () => {
    stack = await startStack();
    dataSource = stack.api.dataSource;
    orgA = (await createOrganization(dataSource)).users;
    orgB = (await createOrganization(dataSource)).users;
  });
  afterAll(() => stack.close());

  it('turns the same webhook delivered 3 times, then 20 times concurrently, into one applied transition', async () => {
    const call = await createCall(dataSource, orgA.owner);
    const ringing = simulatorEvent(call.providerCallId!, 'ringing');
    for (let i = 0; i < 3; i += 1)
      expect((await postSimulatorWebhook(stack.api.baseUrl, ringing)).status).toBe(200);
    const answered = simulatorEvent(call.providerCallId!, 'in_progress');
    await settled(dataSource, call.id, 1); // in order, so both transitions apply
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => postSimulatorWebhook(stack.api.baseUrl, answered)),
    );
    expect(burst.every((response) => response.status === 200)).toBe(true);
    expect(burst.filter((response) => response.body.duplicate === false)).toHaveLength(1);

    const entries = await settled(dataSource, call.id, 2);
    await new Promise((resolve) => setTimeout(resolve, 300)); // nothing more may arrive
    expect(await timeline(dataSource, call.id)).toHaveLength(2);
    expect(entries.map((entry) => [entry.status, entry.applied])).toEqual([
      ['ringing', true],
      ['in_progress', true],
    ]);
    expect(await dataSource.getRepository(WebhookEvent).count({ where: { callId: call.id } })).toBe(
      2,
    );
    expect((await reload(dataSource, call.id)).status).toBe('in_progress');
  });

  it('keeps a call completed when completed arrives before ringing and in-progress; the late ones are recorded, not applied', async () => {
    const call = await createCall(dataSource, orgA.owner);
    await postSimulatorWebhook(
      stack.api.baseUrl,
      simulatorEvent(call.providerCallId!, 'completed', { duration_seconds: 42 }),
    );
    await settled(dataSource, call.id, 1);
    await postSimulatorWebhook(stack.api.baseUrl, simulatorEvent(call.providerCallId!, 'ringing'));
    await postSimulatorWebhook(
      stack.api.baseUrl,
      simulatorEvent(call.providerCallId!, 'in_progress'),
    );
    const entries = await settled(dataSource, call.id, 3);

    const after = await reload(dataSource, call.id);
    expect(after.status).toBe('completed');
    expect(after.billableSeconds).toBe(42);
    expect(
      entries.map((entry) => [entry.status, entry.applied, entry.outcome.replace('+enriched', '')]),
    ).toEqual([
      ['completed', true, 'applied'],
      ['ringing', false, 'already_terminal'],
      ['in_progress', false, 'already_terminal'],
    ]);
  });

  it('enriches an ended call once with facts that arrive late (duration, recording)', async () => {
    const call = await createCall(dataSource, orgA.owner);
    await postSimulatorWebhook(
      stack.api.baseUrl,
      simulatorEvent(call.providerCallId!, 'completed'),
    );
    await settled(dataSource, call.id, 1);
    expect((await reload(dataSource, call.id)).billableSeconds).toBeNull();

    const late = simulatorEvent(call.providerCallId!, 'completed', {
      duration_seconds: 61,
      recording_url: 'https://recordings.example/a.mp3',
    });
    await postSimulatorWebhook(stack.api.baseUrl, late);
    await postSimulatorWebhook(stack.api.baseUrl, late); // duplicate delivery: nothing new
    await settled(dataSource, call.id, 2);
    const other = simulatorEvent(call.providerCallId!, 'completed', { duration_seconds: 99 });
    await postSimulatorWebhook(stack.api.baseUrl, other);
    const entries = await settled(dataSource, call.id, 3);

    const after = await reload(dataSource, call.id);
    expect(after.billableSeconds).toBe(61);
    expect(after.recordingUrl).toBe('https://recordings.example/a.mp3');
    expect(entries.map((entry) => entry.outcome)).toEqual([
      'applied',
      'already_terminal+enriched',
      'already_terminal',
    ]);
  });

  it('records an unknown status, counts it in the timeline and applies nothing', async () => {
    const call = await createCall(dataSource, orgA.owner);
    await postSimulatorWebhook(
      stack.api.baseUrl,
      simulatorEvent(call.providerCallId!, 'teleported'),
    );
    const [entry] = await settled(dataSource, call.id, 1);
    expect(entry).toMatchObject({
      rawStatus: 'teleported',
      status: null,
      applied: false,
      outcome: 'unknown_status',
    });
    expect((await reload(dataSource, call.id)).status).toBe('initiated');
  });

  describe('Twilio signatures', () => {
    const path = (callId: string) => `/api/webhooks/twilio/status?callId=${callId}`;
    const params = (callSid: string) => ({
      CallSid: callSid,
      CallStatus: 'ringing',
      SequenceNumber: '1',
      ParentCallSid: 'CAparent',
      Timestamp: 'Tue, 14 Oct 2025 09:31:44 +0000',
    });

    it('refuses a missing or wrong signature with 403 and stores nothing', async () => {
      const call = await createCall(dataSource, orgA.owner, 'twilio');
      const before = await dataSource.getRepository(WebhookEvent).count();
      const missing = await postTwilioStatus(
        stack.api.baseUrl,
        stack.env.PUBLIC_BASE_URL,
        path(call.id),
        params('CAmissing'),
        {
          signature: null,
        },
      );
      const wrong = await postTwilioStatus(
        stack.api.baseUrl,
        stack.env.PUBLIC_BASE_URL,
        path(call.id),
        params('CAwrong'),
        {
          signature: 'bm90IGEgc2lnbmF0dXJl',
        },
      );
      expect(missing.status).toBe(403);
      expect(wrong.status).toBe(403);
      expect(wrong.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      expect(await dataSource.getRepository(WebhookEvent).count()).toBe(before);
    });

    it('refuses a signature made for another URL', async () => {
      const call = await createCall(dataSource, orgA.owner, 'twilio');
      const other = await postTwilioStatus(
        stack.api.baseUrl,
        stack.env.PUBLIC_BASE_URL,
        path(call.id),
        params('CAother'),
        {
          signFor: `https://attacker.example${path(call.id)}`,
        },
      );
      const otherCall = await postTwilioStatus(
        stack.api.baseUrl,
        stack.env.PUBLIC_BASE_URL,
        path(call.id),
        params('CAother2'),
        {
          signFor: `${stack.env.PUBLIC_BASE_URL}${path(randomUUID())}`,
        },
      );
      expect(other.status).toBe(403);
      expect(otherCall.status).toBe(403);
    });

    it('accepts a valid signature, matches the child leg by the call id in the URL and applies it', async () => {
      const call = await createCall(dataSource, orgA.owner, 'twilio', {
        providerCallId: null,
        parentProviderCallId: 'CAparent',
      });
      const response = await postTwilioStatus(
        stack.api.baseUrl,
        stack.env.PUBLIC_BASE_URL,
        path(call.id),
        params('CAchild1'),
      );
      expect(response.status).toBe(200);
      await settled(dataSource, call.id, 1);
      const after = await reload(dataSource, call.id);
      expect(after.status).toBe('ringing');
      expect(after.providerCallId).toBe('CAchild1');
      expect(after.lastSequence).toBe(1);
    });
  });

  it('answers a malformed body with 400 naming the problem, and keeps the raw request as rejected', async () => {
    const response = await postSimulatorWebhook(stack.api.baseUrl, {
      id: 'msg_no_call',
      status: 'ringing',
      occurred_at: new Date().toISOString(),
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toBe('simulator webhook: call_id is missing or not a string');
    const kept = await dataSource.getRepository(WebhookEvent).findOneByOrFail({
      provider: 'simulator',
      state: 'rejected',
      lastError: 'simulator webhook: call_id is missing or not a string',
    });
    expect(JSON.parse(kept.rawBody)).toMatchObject({ id: 'msg_no_call' });
  });

  it('makes an event that matches no call a dead letter after its attempts, with the reason', async () => {
    const event = simulatorEvent('SIMnosuchcall', 'ringing');
    const { body } = await postSimulatorWebhook(stack.api.baseUrl, event);
    const dead = await eventually(async () => {
      const stored = await dataSource.getRepository(WebhookEvent).findOneByOrFail({ id: body.id });
      return stored.state === 'dead' ? stored : null;
    }, 'the event to become a dead letter');
    expect(dead.attempts).toBe(3);
    expect(dead.lastError).toMatch(/no simulator call matches provider call SIMnosuchcall/);
  });

  it('lets an admin list dead letters of the organization and replay one', async () => {
    const call = await createCall(dataSource, orgA.owner);
    const { body } = await postSimulatorWebhook(
      stack.api.baseUrl,
      simulatorEvent(call.providerCallId!, 'ringing'),
    );
    await settled(dataSource, call.id, 1);
    // A dead letter's job has finished: wait for this one to (it may still be active just after
    // the commit), or the replay would find it running and leave it be.
    const queue: Queue = stack.api.app.get(getQueueToken(QueueName.WebhookEvents));
    await eventually(
      async () => ((await (await queue.getJob(body.id))?.isCompleted()) ? true : null),
      'the ingress job to complete',
    );
    // Make it look like a dead letter whose effect never happened (as after a failed transaction).
    await dataSource.getRepository(CallEvent).delete({ callId: call.id });
    await dataSource.getRepository(Call).update({ id: call.id }, { status: 'initiated' });
    await dataSource
      .getRepository(WebhookEvent)
      .update({ id: body.id }, { state: 'dead', lastError: 'Error: boom' });

    const adminToken = await loginAs(stack.api.baseUrl, orgA.admin);
    const list = await request(stack.api.baseUrl, 'GET', '/api/admin/webhook-events?state=dead', {
      token: adminToken,
    });
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).toContain(body.id);
    const otherOrg = await request(
      stack.api.baseUrl,
      'GET',
      '/api/admin/webhook-events?state=dead',
      {
        token: await loginAs(stack.api.baseUrl, orgB.admin),
      },
    );
    expect(otherOrg.body.items.map((item: { id: string }) => item.id)).not.toContain(body.id);
    expect(
      (
        await request(stack.api.baseUrl, 'POST', `/api/admin/webhook-events/${body.id}/replay`, {
          token: await loginAs(stack.api.baseUrl, orgB.admin),
        })
      ).status,
    ).toBe(404);

    const replay = await request(
      stack.api.baseUrl,
      'POST',
      `/api/admin/webhook-events/${body.id}/replay`,
      { token: adminToken },
    );
    expect(replay.status).toBe(202);
    await settled(dataSource, call.id, 1);
    expect((await reload(dataSource, call.id)).status).toBe('ringing');
    const again = await request(
      stack.api.baseUrl,
      'POST',
      `/api/admin/webhook-events/${body.id}/replay`,
      { token: adminToken },
    );
    expect(again.status).toBe(409);
  });

  it('brings a simulator call placed through POST /api/calls to its terminal status via the real HTTP ingress, queue and worker', async () => {
    const token = await loginAs(stack.api.baseUrl, orgA.agent);
    const placed = await request(stack.api.baseUrl, 'POST', '/api/calls', {
      token,
      body: { provider: 'simulator', to: '(415) 555-0100', scenario: 'completed', talkSeconds: 30 },
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      provider: 'simulator',
      to: '+14155550100',
      country: 'US',
      status: 'initiated',
    });

    const done = await eventually(async () => {
      const detail = await request(stack.api.baseUrl, 'GET', `/api/calls/${placed.body.id}`, {
        token,
      });
      return detail.body.status === 'completed' ? detail.body : null;
    }, 'the simulator call to complete');
    expect(done.durationSeconds).toBe(30);
    expect(done.answeredAt).not.toBeNull();
    expect(done.timeline.map((entry: { status: string }) => entry.status)).toEqual(
      expect.arrayContaining(['initiated', 'ringing', 'in_progress', 'completed']),
    );
    // The simulator's deliveries are separate HTTP requests and can overtake each other: a
    // 'ringing' that arrives after 'in_progress' is on the timeline but not applied.
    const applied = done.timeline
      .filter((entry: { applied: boolean }) => entry.applied)
      .map((entry: { status: string }) => entry.status);
    expect(applied.slice(-2)).toEqual(['in_progress', 'completed']);
    expect(applied.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a call to an invalid number or through an unconfigured provider with 400', async () => {
    const token = await loginAs(stack.api.baseUrl, orgA.agent);
    const badNumber = await request(stack.api.baseUrl, 'POST', '/api/calls', {
      token,
      body: { provider: 'simulator', to: '12' },
    });
    expect(badNumber.status).toBe(400);
    expect(badNumber.body.message).toMatch(/^to must be a valid phone number/);
    const exotel = await request(stack.api.baseUrl, 'POST', '/api/calls', {
      token,
      body: { provider: 'exotel', to: '+14155550100' },
    });
    expect(exotel.status).toBe(400);
    expect(exotel.body.message).toBe('provider exotel is not configured on this Switchboard');
    const twilio = await request(stack.api.baseUrl, 'POST', '/api/calls', {
      token,
      body: { provider: 'twilio', to: '+14155550100' },
    });
    expect(twilio.status).toBe(400);
    expect(twilio.body.message).toMatch(/^provider must be one of: exotel, bolna, simulator/);
  });
});
