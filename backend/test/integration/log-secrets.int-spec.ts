import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import Stripe from 'stripe';
import twilio from 'twilio';
import { DataSource, In, MoreThanOrEqual } from 'typeorm';
import { createApiApp } from '../../src/bootstrap-api';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { createRootLogger, PinoNestLogger } from '../../src/logging/logger';
import { configuredSecrets } from '../../src/logging/redaction';
import { UserRole } from '../../src/modules/auth/entities/user.entity';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { standardWebhookHeaders } from '../../src/modules/providers/simulator/simulator-signature';
import { WebhookEvent } from '../../src/modules/webhooks/entities/webhook-event.entity';
import { WorkerModule } from '../../src/worker.module';
import { loadFixture } from '../fixtures/providers/load-fixture';
import { postSimulatorWebhook, simulatorEvent } from '../support/provider-webhooks';
import { createOrganization, loginAs, request, TestUser } from '../support/test-app';
import { eventually, freePort } from '../support/test-worker';

/** Every provider configured, each secret distinct and long enough to be recognised in a log. */
const SECRETS = {
  TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
  TWILIO_AUTH_TOKEN: 'twilio-auth-token-3f9a1c77',
  TWILIO_API_KEY_SID: 'SK00000000000000000000000000000000',
  TWILIO_API_KEY_SECRET: 'twilio-api-key-secret-8d2e',
  TWILIO_TWIML_APP_SID: 'AP00000000000000000000000000000000',
  TWILIO_CALLER_ID: '+14155550142',
  EXOTEL_ACCOUNT_SID: 'acmeconsole1',
  EXOTEL_API_KEY: 'exotel-api-key-51b0',
  EXOTEL_API_TOKEN: 'exotel-api-token-c4e2',
  EXOTEL_CALLER_ID: '08047112233',
  EXOTEL_WEBHOOK_TOKEN: 'exotel-webhook-token-9e7d6c',
  BOLNA_API_KEY: 'bolna-api-key-0a1b2c',
  BOLNA_AGENT_ID: randomUUID(),
  BOLNA_WEBHOOK_SECRET: 'bolna-webhook-secret-77aa',
  STRIPE_SECRET_KEY: 'sk_test_log_secrets_4d2b81',
  STRIPE_WEBHOOK_SECRET: 'whsec_log_secrets_9c1e07',
};

describe('logs never contain secrets (every webhook path and the login flow, at trace level)', () => {
  const lines: string[] = [];
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  let config: AppConfig;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let baseUrl: string;
  let dataSource: DataSource;
  let users: Record<UserRole, TestUser>;

  beforeAll(async () => {
    const port = await freePort();
    config = loadConfig({
      ...process.env,
      ...SECRETS,
      LOG_LEVEL: 'trace',
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      SIMULATOR_TIME_SCALE: '0.01',
      JOB_RETRY_DELAY_MS: '50',
      JOB_ATTEMPTS: '2',
    });
    api = await createApiApp(config, { logDestination: capture });
    await api.listen({ port, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${port}`;
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
      logger: new PinoNestLogger(
        createRootLogger('trace', 'worker', capture, configuredSecrets(config)),
      ),
    });
    await worker.init();
    dataSource = api.get(DataSource);
    users = (await createOrganization(dataSource)).users;
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  const post = (path: string, headers: Record<string, string>, body: string) =>
    fetch(`${baseUrl}${path}`, { method: 'POST', headers, body });
  const twilioSigned = (path: string, params: Record<string, string>) =>
    post(
      path,
      {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(
          SECRETS.TWILIO_AUTH_TOKEN,
          `${config.PUBLIC_BASE_URL}${path}`,
          params,
        ),
      },
      new URLSearchParams(params).toString(),
    );
  const deliver = (fixture: string, url: string, override?: Record<string, unknown>) => {
    const incoming = loadFixture(fixture, { url, override });
    return post(url, incoming.headers as Record<string, string>, incoming.rawBody);
  };
  const providerCall = (provider: 'exotel' | 'bolna' | 'simulator', providerCallId: string) =>
    dataSource.getRepository(Call).save({
      organizationId: users.admin.organizationId,
      agentId: users.admin.id,
      provider,
      providerCallId,
      direction: 'outbound',
      toNumber: '+14155550100',
      country: 'US',
      status: 'initiated',
      metadata: {},
    } as Call);

  it('writes none of them, while every path logs its requests', async () => {
    // The run's database is shared by every suite: only this test's webhooks count.
    const startedAt = new Date(Date.now() - 1000);
    // Login: a failed attempt, a successful one, an authenticated request, a Twilio Voice token.
    expect(
      (
        await request(baseUrl, 'POST', '/api/auth/login', {
          body: { email: users.agent.email, password: 'wrong-password-1234' },
        })
      ).status,
    ).toBe(401);
    const accessToken = await loginAs(baseUrl, users.agent);
    expect((await request(baseUrl, 'GET', '/api/auth/me', { token: accessToken })).status).toBe(
      200,
    );
    const voice = await request(baseUrl, 'POST', '/api/voice/token', { token: accessToken });
    expect(voice.status).toBe(200);
    // A token in the query string (as some clients send it) is not logged either.
    await request(baseUrl, 'GET', `/api/auth/me?access_token=${accessToken}`);

    // Twilio: the voice webhook creates the call, its dialed leg reports its status.
    const parentSid = `CA${randomUUID().replace(/-/g, '')}`;
    const voiceWebhook = await twilioSigned('/api/webhooks/twilio/voice', {
      CallSid: parentSid,
      AccountSid: SECRETS.TWILIO_ACCOUNT_SID,
      From: `client:${users.agent.id.replace(/-/g, '')}`,
      To: '+14155550100',
      CallStatus: 'ringing',
      Direction: 'inbound',
    });
    expect(voiceWebhook.status).toBe(200);
    const twilioCall = await dataSource
      .getRepository(Call)
      .findOneByOrFail({ parentProviderCallId: parentSid });
    const status = await twilioSigned(`/api/webhooks/twilio/status?callId=${twilioCall.id}`, {
      CallSid: `CA${randomUUID().replace(/-/g, '')}`,
      ParentCallSid: parentSid,
      AccountSid: SECRETS.TWILIO_ACCOUNT_SID,
      CallStatus: 'ringing',
      SequenceNumber: '0',
    });
    expect(status.status).toBe(200);
    const forgedTwilio = await post(
      '/api/webhooks/twilio/status',
      { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'bm9wZQ==' },
      'CallSid=CAx&CallStatus=ringing',
    );
    expect(forgedTwilio.status).toBe(403);

    // Exotel: the secret token is in the URL; a wrong one is refused.
    // Its own CallSid: the test database is shared with the other files of the run.
    const exotelSid = `exo${randomUUID().replace(/-/g, '')}`;
    const exotelCall = await providerCall('exotel', exotelSid);
    const exotelUrl = `/api/webhooks/exotel/status?token=${SECRETS.EXOTEL_WEBHOOK_TOKEN}&callId=${exotelCall.id}`;
    expect(
      (await deliver('exotel/status-completed.json', exotelUrl, { CallSid: exotelSid })).status,
    ).toBe(200);
    expect(
      (
        await deliver(
          'exotel/status-completed.json',
          '/api/webhooks/exotel/status?token=guess-1234',
        )
      ).status,
    ).toBe(403);

    // Bolna: the secret is a bearer header; a wrong one is refused.
    const executionId = randomUUID();
    await providerCall('bolna', executionId);
    const bolna = loadFixture('bolna/execution-ringing.json', {
      url: '/api/webhooks/bolna',
      headers: { authorization: `Bearer ${SECRETS.BOLNA_WEBHOOK_SECRET}` },
      override: { id: executionId },
    });
    expect(
      (await post('/api/webhooks/bolna', bolna.headers as Record<string, string>, bolna.rawBody))
        .status,
    ).toBe(200);
    expect(
      (
        await post(
          '/api/webhooks/bolna',
          { ...(bolna.headers as Record<string, string>), authorization: 'Bearer guess-5678' },
          bolna.rawBody,
        )
      ).status,
    ).toBe(403);

    // Simulator: Standard Webhooks signature.
    const simulatorId = `sim_${randomUUID().slice(0, 8)}`;
    await providerCall('simulator', simulatorId);
    expect(
      (await postSimulatorWebhook(baseUrl, simulatorEvent(simulatorId, 'ringing'))).status,
    ).toBe(200);

    // Twilio's recording callback (signed like its status callback).
    const recording = await twilioSigned(`/api/webhooks/twilio/recording?callId=${twilioCall.id}`, {
      AccountSid: SECRETS.TWILIO_ACCOUNT_SID,
      CallSid: twilioCall.providerCallId ?? parentSid,
      RecordingSid: `RE${randomUUID().replace(/-/g, '')}`,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${SECRETS.TWILIO_ACCOUNT_SID}/Recordings/RE1`,
      RecordingStatus: 'completed',
      RecordingDuration: '12',
      RecordingChannels: '2',
      RecordingSource: 'DialVerb',
    });
    expect(recording.status).toBe(200);

    // Payments: a Stripe-signed event (the stripe package's own test helper) and the simulated
    // provider's Standard Webhooks signature.
    const stripeEvent = JSON.stringify({
      id: `evt_${randomUUID().replace(/-/g, '')}`,
      object: 'event',
      type: 'checkout.session.expired',
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: `cs_test_${randomUUID().slice(0, 8)}`, object: 'checkout.session' } },
    });
    const stripeSignature = new Stripe('sk_test_unused').webhooks.generateTestHeaderString({
      payload: stripeEvent,
      secret: SECRETS.STRIPE_WEBHOOK_SECRET,
    });
    const stripe = await post(
      '/api/webhooks/payments/stripe',
      { 'content-type': 'application/json', 'stripe-signature': stripeSignature },
      stripeEvent,
    );
    expect(stripe.status).toBe(200);
    const paymentId = `evt_${randomUUID().slice(0, 8)}`;
    const paymentBody = JSON.stringify({
      id: paymentId,
      type: 'payment.failed',
      data: { paymentId: randomUUID(), amountMicros: '1000000', currency: 'USD' },
    });
    const paymentHeaders = standardWebhookHeaders(
      config.SIMULATOR_WEBHOOK_SECRET!,
      paymentId,
      paymentBody,
    );
    const payment = await post(
      '/api/webhooks/payments/simulator',
      { 'content-type': 'application/json', ...paymentHeaders },
      paymentBody,
    );
    expect(payment.status).toBeLessThan(500);
    // A signed recording link (a forged one here): its signature is not logged either.
    const recordingSignature = `sig-log-secrets-${randomUUID()}`;
    const signedLink = await request(
      baseUrl,
      'GET',
      `/api/recordings/${randomUUID()}?expires=${Date.now() + 60_000}&signature=${recordingSignature}`,
    );
    expect(signedLink.status).toBeGreaterThanOrEqual(400);
    expect(signedLink.status).toBeLessThan(500);

    // The worker handled every event (processed or dead letter: both are logged).
    await eventually(
      async () =>
        (await dataSource.getRepository(WebhookEvent).countBy({
          state: In(['received', 'retrying']),
          receivedAt: MoreThanOrEqual(startedAt),
        })) === 0,
      'every webhook event handled',
    );

    const output = lines.join('');
    const forbidden = {
      ...Object.fromEntries(configuredSecrets(config).map((value) => [value, value])),
      password: users.agent.password,
      wrongPassword: 'wrong-password-1234',
      accessToken,
      voiceToken: voice.body.token as string,
      wrongExotelToken: 'guess-1234',
      stripeSignature,
      simulatorPaymentSignature: paymentHeaders['webhook-signature'],
      recordingSignature,
      wrongBolnaSecret: 'guess-5678',
    };
    expect(configuredSecrets(config)).toEqual(
      expect.arrayContaining([
        SECRETS.TWILIO_AUTH_TOKEN,
        SECRETS.EXOTEL_WEBHOOK_TOKEN,
        SECRETS.BOLNA_WEBHOOK_SECRET,
        config.JWT_SECRET,
        config.SIMULATOR_WEBHOOK_SECRET,
        SECRETS.STRIPE_SECRET_KEY,
        SECRETS.STRIPE_WEBHOOK_SECRET,
      ]),
    );
    const leaks = Object.entries(forbidden).filter(([, value]) => output.includes(value));
    expect(leaks.map(([name]) => name)).toEqual([]);
    expect(output).toContain('request completed');
    expect(output).toContain('/api/webhooks/exotel/status?token=[redacted]');
    expect(output).toContain('"process":"worker"');
  });
});
