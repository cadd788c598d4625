import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { CallsService } from '../../src/modules/calls/calls.service';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { RecordingRetentionService } from '../../src/modules/recordings/recording-retention.service';
import {
  EXPIRE_RECORDINGS,
  MAINTENANCE_SCHEDULES,
} from '../../src/modules/webhooks/maintenance.processor';
import { WebhookMaintenanceService } from '../../src/modules/webhooks/webhook-maintenance.service';
import {
  FixtureRequestOptions,
  loadFixture,
  loadTwilioFixture,
} from '../fixtures/providers/load-fixture';
import { TEST_TWILIO } from '../support/provider-webhooks';
import { createOrganization, loginAs, request } from '../support/test-app';
import { eventually, RunningStack, startStack } from '../support/test-worker';
import { organizationWithUsRate, placeHeldCall } from '../support/us-rate';

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

/** Audio bytes the recording stub serves (any bytes: the copy is byte for byte). */
const AUDIO = randomBytes(4096);

/**
 * A local stand-in for the providers' recording hosts: `/twilio/…` needs Twilio's basic auth and
 * fails its first request (503), `/expired/…` always answers 403 (an expired presigned link),
 * anything else serves AUDIO.
 */
class RecordingHost {
  readonly requests: { url: string; authorization?: string }[] = [];
  /** Bolna's `GET /executions/{id}` answers, by execution id. */
  readonly executions = new Map<string, Record<string, unknown>>();
  /** Twilio's `GET …/Calls/{CallSid}/Recordings.json` answers, by call sid. */
  readonly twilioRecordings = new Map<string, Record<string, unknown>[]>();
  private server?: Server;
  baseUrl = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const url = req.url ?? '';
    this.requests.push({ url, authorization: req.headers.authorization });
    const execution = /^\/executions\/([^/?]+)/.exec(url);
    if (execution) {
      const body = this.executions.get(decodeURIComponent(execution[1]));
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { message: 'not found' }));
      return;
    }
    if (url.startsWith('/expired/')) {
      res
        .writeHead(403, { 'content-type': 'application/xml' })
        .end('<Error>Request has expired</Error>');
      return;
    }
    const recordings = /^\/2010-04-01\/Accounts\/[^/]+\/Calls\/([^/]+)\/Recordings\.json/.exec(url);
    if (recordings) {
      const list = this.twilioRecordings.get(decodeURIComponent(recordings[1]));
      res.writeHead(list ? 200 : 404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(list ? { recordings: list, page: 0, page_size: 20 } : { code: 20404 }),
      );
      return;
    }
    if (url.startsWith('/2010-04-01/')) {
      const expected = `Basic ${Buffer.from(`${TEST_TWILIO.TWILIO_ACCOUNT_SID}:${TEST_TWILIO.TWILIO_AUTH_TOKEN}`).toString('base64')}`;
      if (req.headers.authorization !== expected) {
        res.writeHead(401).end();
        return;
      }
      if (this.requests.filter((r) => r.url === url).length === 1) {
        res.writeHead(503).end('try again');
        return;
      }
    }
    res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(AUDIO.length) });
    res.end(AUDIO);
  }
}

describe('call outcomes: recordings, transcripts, summaries through the pipeline (real PostgreSQL and Redis)', () => {
  let stack: RunningStack;
  let host: RecordingHost;
  let dataSource: DataSource;
  let users: Awaited<ReturnType<typeof organizationWithUsRate>>;
  let tokens: { owner: string; agent: string; stranger: string };
  let recordingsDir: string;

  beforeAll(async () => {
    host = await new RecordingHost().start();
    recordingsDir = mkdtempSync(join(tmpdir(), 'switchboard-recordings-'));
    stack = await startStack({
      ...EXOTEL,
      ...BOLNA,
      TWILIO_API_BASE_URL: host.baseUrl,
      BOLNA_API_BASE_URL: host.baseUrl,
      RECORDINGS_DIR: recordingsDir,
      RECORDING_COPY_ATTEMPTS: '3',
      RECORDING_RETRY_DELAY_MS: '50',
      RECORDING_RETENTION_DAYS: '30',
    });
    dataSource = stack.api.dataSource;
    users = await organizationWithUsRate(stack.api, 10_000_000n);
    const stranger = (await createOrganization(dataSource, ['owner'])).users.owner;
    tokens = {
      owner: await loginAs(stack.api.baseUrl, users.owner),
      agent: await loginAs(stack.api.baseUrl, users.agent),
      stranger: await loginAs(stack.api.baseUrl, stranger),
    };
  });
  afterAll(async () => {
    await stack.close();
    await host.stop();
    rmSync(recordingsDir, { recursive: true, force: true });
  });

  async function deliver(fixture: string, options: FixtureRequestOptions & { twilio?: boolean }) {
    const incoming = options.twilio
      ? loadTwilioFixture(fixture, {
          ...options,
          authToken: TEST_TWILIO.TWILIO_AUTH_TOKEN,
          publicBaseUrl: stack.env.PUBLIC_BASE_URL,
        })
      : loadFixture(fixture, options);
    const response = await fetch(`${stack.api.baseUrl}${incoming.url}`, {
      method: 'POST',
      headers: incoming.headers as Record<string, string>,
      body: incoming.rawBody,
    });
    return { status: response.status, body: (await response.json()) as { duplicate: boolean } };
  }

  const bolnaHeaders = { authorization: `Bearer ${BOLNA.BOLNA_WEBHOOK_SECRET}` };

  /** The call's money as it stands: its cost, the wallet, the ledger's transactions. */
  async function money(call: Call) {
    const [row] = await dataSource.query(
      `SELECT c.cost_micros, w.balance_micros, w.held_micros,
              (SELECT count(*) FROM ledger_transactions t WHERE t.organization_id = c.organization_id) AS transactions
         FROM calls c JOIN wallets w ON w.organization_id = c.organization_id WHERE c.id = $1`,
      [call.id],
    );
    return row as Record<string, string>;
  }

  const processedCount = (callId: string, count: number) =>
    eventually(async () => {
      const [row] = await dataSource.query(
        `SELECT count(*)::int AS n FROM webhook_events WHERE call_id = $1 AND state = 'processed'`,
        [callId],
      );
      return row.n >= count;
    }, `${count} processed events of ${callId}`);

  const detail = (callId: string, token = tokens.owner) =>
    request(stack.api.baseUrl, 'GET', `/api/calls/${callId}`, { token });

  it('Bolna: call-disconnected ends the call (not final); completed brings transcript, summary, extracted data, recording, hangup_by once; money untouched', async () => {
    const executionId = randomUUID();
    const call = await placeHeldCall(stack.api, users.agent, {
      provider: 'bolna',
      providerCallId: executionId,
    });
    // Bolna's naive UTC timestamps, now: the call ended just now, so its deadline is ahead.
    const override = { id: executionId, updated_at: new Date().toISOString().replace('Z', '') };

    await deliver('bolna/execution-call-disconnected.json', {
      headers: bolnaHeaders,
      override,
      url: '/api/webhooks/bolna',
    });
    await processedCount(call.id, 1);
    const ended = await detail(call.id);
    expect(ended.body).toMatchObject({
      status: 'completed',
      final: false,
      transcript: null,
      recording: null,
    });

    // Artifacts after the terminal status (with the recording host standing in for Bolna's S3).
    const recordingUrl = `${host.baseUrl}/bolna-recordings/${executionId}.mp3`;
    const completed = {
      ...override,
      telephony_data: {
        ...(loadFixture('bolna/with-summary-execution-completed.json').body
          .telephony_data as object),
        recording_url: recordingUrl,
      },
    };
    const first = await deliver('bolna/with-summary-execution-completed.json', {
      headers: bolnaHeaders,
      override: completed,
      url: '/api/webhooks/bolna',
    });
    expect(first).toMatchObject({ status: 200, body: { duplicate: false } });
    // Twice: the same delivery again is a duplicate at the ingress.
    const again = await deliver('bolna/with-summary-execution-completed.json', {
      headers: bolnaHeaders,
      override: completed,
      url: '/api/webhooks/bolna',
    });
    expect(again.body.duplicate).toBe(true);
    await processedCount(call.id, 2);
    // `completed` carries the final figures: the call is priced from its 95 s (2 minutes at 0.06).
    const moneyAtCompleted = await money(call);
    expect(moneyAtCompleted.cost_micros).toBe('120000');

    const stored = await eventually(async () => {
      const view = await detail(call.id);
      return view.body.recording?.status === 'stored' ? view.body : null;
    }, 'the Bolna recording stored');
    expect(stored).toMatchObject({
      final: true,
      summary: expect.stringContaining('delivery update'),
      extractedData: { interested: true, wants_sms_update: true },
      hangupBy: 'Callee',
      transcript: expect.arrayContaining([{ speaker: 'callee', text: 'Yes, go ahead.' }]),
      recording: {
        url: expect.stringMatching(
          new RegExp(`^/api/recordings/${call.id}\\?expires=\\d+&signature=`),
        ),
        durationSeconds: 95,
        contentType: 'audio/mpeg',
        status: 'stored',
        sizeBytes: AUDIO.length,
      },
    });
    expect(stored.transcript).toHaveLength(5);
    // The stub also stands for Bolna's API here, so Bolna's key went with the fetch; the Exotel
    // case below shows that another host (a presigned storage link) gets no credentials.
    expect(host.requests.find((r) => r.url.includes(executionId))?.authorization).toBe(
      `Bearer ${BOLNA.BOLNA_API_KEY}`,
    );

    // The timeline says what was stored, without the provider's URL.
    const timeline = stored.timeline as { rawStatus: string; facts: Record<string, unknown> }[];
    expect(timeline.map((entry) => entry.rawStatus)).toEqual(['call-disconnected', 'completed']);
    expect(timeline[1].facts.stored).toBe('transcript,summary,extractedData,hangupBy,recording');

    // Storing the artifacts and copying the recording moved no money.
    expect(await money(call)).toEqual(moneyAtCompleted);

    // Words said on the call find it in history; not from another organization. Both ways of
    // reading words: the calls they were said on listed first (few), or the history walked in
    // time order (many: here, as soon as there is more than none).
    const calls = stack.api.app.get(CallsService);
    const listedByDefault = calls.saidCallsListed;
    for (const listed of [listedByDefault, 0]) {
      calls.saidCallsListed = listed;
      const found = await request(stack.api.baseUrl, 'GET', '/api/calls?q=delivery%20update', {
        token: tokens.owner,
      });
      expect(found.body.items.map((item: { id: string }) => item.id)).toContain(call.id);
      // History rows say the call has a recording and a transcript, and give its summary.
      expect(found.body.items.find((item: { id: string }) => item.id === call.id)).toMatchObject({
        hasRecording: true,
        hasTranscript: true,
        summary: expect.stringContaining('delivery'),
      });
      const agentFound = await request(stack.api.baseUrl, 'GET', '/api/calls?q=Riya', {
        token: tokens.agent,
      });
      expect(agentFound.body.items.map((item: { id: string }) => item.id)).toContain(call.id);
      const notFound = await request(stack.api.baseUrl, 'GET', '/api/calls?q=delivery%20update', {
        token: tokens.stranger,
      });
      expect(notFound.body.items).toEqual([]);
      const nothing = await request(stack.api.baseUrl, 'GET', '/api/calls?q=zebra%20xylophone', {
        token: tokens.owner,
      });
      expect(nothing.body.items.map((item: { id: string }) => item.id)).not.toContain(call.id);
    }
    calls.saidCallsListed = listedByDefault;

    // The export carries who hung up and the summary.
    const exported = await request(stack.api.baseUrl, 'GET', '/api/calls/export.csv', {
      token: tokens.owner,
    });
    const row = (exported.body as string).split('\n').find((line) => line.startsWith(call.id));
    expect(row).toContain(',Callee,');
    expect(row).toContain('agreed to receive a delivery update');

    // The provider's URL is in no answer: the call, the history, the webhook events.
    for (const path of [
      `/api/calls/${call.id}`,
      '/api/calls',
      '/api/calls/export.csv',
      `/api/admin/webhook-events?callId=${call.id}`,
      '/api/admin/webhook-events',
    ]) {
      const response = await request(stack.api.baseUrl, 'GET', path, { token: tokens.owner });
      expect(JSON.stringify(response.body)).not.toContain(host.baseUrl);
      expect(JSON.stringify(response.body)).not.toContain('bolna-recordings');
    }
  });

  it("Bolna: when `completed` never comes, the call is final at its deadline and reconciliation asks Bolna for the execution's outcome", async () => {
    const executionId = randomUUID();
    const call = await placeHeldCall(stack.api, users.agent, {
      provider: 'bolna',
      providerCallId: executionId,
    });
    // Disconnected 16 minutes ago: past Bolna's 15-minute deadline.
    const endedAt = new Date(Date.now() - 16 * 60_000).toISOString().replace('Z', '');
    await deliver('bolna/execution-call-disconnected.json', {
      headers: bolnaHeaders,
      override: { id: executionId, updated_at: endedAt },
      url: '/api/webhooks/bolna',
    });
    await processedCount(call.id, 1);
    expect((await detail(call.id)).body).toMatchObject({
      final: true,
      finalizedAt: null,
      summary: null,
    });

    const completed = loadFixture('bolna/with-summary-execution-completed.json').body;
    host.executions.set(executionId, {
      ...completed,
      id: executionId,
      updated_at: new Date().toISOString().replace('Z', ''),
      telephony_data: {
        ...(completed.telephony_data as object),
        recording_url: `${host.baseUrl}/bolna-recordings/${executionId}.mp3`,
      },
    });
    await stack.worker.get(WebhookMaintenanceService).reconcile();
    await processedCount(call.id, 2);
    const view = await eventually(async () => {
      const body = (await detail(call.id)).body;
      return body.recording?.status === 'stored' ? body : null;
    }, 'the reconciled recording stored');
    expect(view).toMatchObject({
      final: true,
      finalizedAt: expect.any(String),
      summary: expect.stringContaining('delivery update'),
      hangupBy: 'Callee',
    });
    expect(
      host.requests.some(
        (r) =>
          r.url === `/executions/${executionId}` &&
          r.authorization === `Bearer ${BOLNA.BOLNA_API_KEY}`,
      ),
    ).toBe(true);
  });

  it('Twilio: the recording callback arrives before the completed status; copied with the account credentials after a retry; served with ranges to authorized users only', async () => {
    const parent = `CA${randomBytes(16).toString('hex')}`;
    const child = `CA${randomBytes(16).toString('hex')}`;
    const call = await placeHeldCall(stack.api, users.agent, {
      provider: 'twilio',
      providerCallId: null,
      parentProviderCallId: parent,
    });
    const moneyBefore = await money(call);
    const recordingPath = `/2010-04-01/Accounts/${TEST_TWILIO.TWILIO_ACCOUNT_SID}/Recordings/RE${randomBytes(16).toString('hex')}`;

    // Before the terminal status: the recording.
    const recording = await deliver('twilio/recording-completed.form.txt', {
      twilio: true,
      url: `/api/webhooks/twilio/recording?callId=${call.id}`,
      override: {
        CallSid: parent,
        AccountSid: TEST_TWILIO.TWILIO_ACCOUNT_SID,
        RecordingUrl: `${host.baseUrl}${recordingPath}`,
      },
    });
    expect(recording.status).toBe(200);
    await processedCount(call.id, 1);
    let view = (await detail(call.id)).body;
    // The recording callback named no leg and changed no status.
    expect(view).toMatchObject({ status: 'initiated', providerCallId: null, final: false });
    // An artifact before the end moves no money.
    expect(await money(call)).toEqual(moneyBefore);

    // Then the dialed leg's completed status.
    const status = await deliver('twilio/status-completed.form.txt', {
      twilio: true,
      url: `/api/webhooks/twilio/status?callId=${call.id}`,
      override: {
        CallSid: child,
        ParentCallSid: parent,
        AccountSid: TEST_TWILIO.TWILIO_ACCOUNT_SID,
      },
    });
    expect(status.status).toBe(200);
    await processedCount(call.id, 2);
    // Twice: Twilio retrying the recording callback.
    const twice = await deliver('twilio/recording-completed.form.txt', {
      twilio: true,
      url: `/api/webhooks/twilio/recording?callId=${call.id}`,
      override: {
        CallSid: parent,
        AccountSid: TEST_TWILIO.TWILIO_ACCOUNT_SID,
        RecordingUrl: `${host.baseUrl}${recordingPath}`,
      },
    });
    expect(twice.body.duplicate).toBe(true);

    view = await eventually(async () => {
      const body = (await detail(call.id)).body;
      return body.recording?.status === 'stored' ? body : null;
    }, 'the Twilio recording stored');
    expect(view).toMatchObject({
      status: 'completed',
      providerCallId: child,
      durationSeconds: 95,
      recording: { status: 'stored', contentType: 'audio/mpeg', durationSeconds: 94, attempts: 2 },
    });
    // Fetched as `.mp3`, with the account's credentials, after one 503.
    const fetched = host.requests.filter((r) => r.url === `${recordingPath}.mp3`);
    expect(fetched).toHaveLength(2);
    expect(fetched[1].authorization).toMatch(/^Basic /);

    const signedUrl: string = view.recording.url;
    // A range: 206 with Content-Range, exactly those bytes.
    const ranged = await fetch(`${stack.api.baseUrl}${signedUrl}`, {
      headers: { range: 'bytes=100-199' },
    });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 100-199/${AUDIO.length}`);
    expect(ranged.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(AUDIO.subarray(100, 200));
    // The whole file, and a suffix range, with the bearer token on the call's own route.
    const whole = await fetch(`${stack.api.baseUrl}/api/calls/${call.id}/recording`, {
      headers: { authorization: `Bearer ${tokens.agent}` },
    });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(AUDIO);
    const suffix = await fetch(`${stack.api.baseUrl}/api/calls/${call.id}/recording`, {
      headers: { authorization: `Bearer ${tokens.owner}`, range: 'bytes=-10' },
    });
    expect(suffix.status).toBe(206);
    expect(Buffer.from(await suffix.arrayBuffer())).toEqual(AUDIO.subarray(AUDIO.length - 10));
    // A range past the end: 416 naming the size.
    const beyond = await fetch(`${stack.api.baseUrl}${signedUrl}`, {
      headers: { range: `bytes=${AUDIO.length}-` },
    });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${AUDIO.length}`);

    // Refused without authorization, with a forged or missing signature, and to another organization.
    expect((await fetch(`${stack.api.baseUrl}/api/calls/${call.id}/recording`)).status).toBe(401);
    expect((await fetch(`${stack.api.baseUrl}/api/recordings/${call.id}`)).status).toBe(401);
    const forged = signedUrl.replace(/signature=[^&]+/, 'signature=AAAA');
    expect((await fetch(`${stack.api.baseUrl}${forged}`)).status).toBe(401);
    const otherCall = await placeHeldCall(stack.api, users.agent);
    const reused = signedUrl.replace(call.id, otherCall.id);
    expect((await fetch(`${stack.api.baseUrl}${reused}`)).status).toBe(401);
    const foreign = await fetch(`${stack.api.baseUrl}/api/calls/${call.id}/recording`, {
      headers: { authorization: `Bearer ${tokens.stranger}` },
    });
    expect(foreign.status).toBe(404);
    expect((await detail(call.id, tokens.stranger)).status).toBe(404);

    // The provider's URL is in no answer.
    for (const path of [`/api/calls/${call.id}`, '/api/calls', '/api/admin/webhook-events']) {
      const response = await request(stack.api.baseUrl, 'GET', path, { token: tokens.owner });
      expect(JSON.stringify(response.body)).not.toContain(recordingPath);
    }
  });

  it('Exotel: the recording arrives with the terminal callback; an expired link is retried, then marked failed with the reason (admins see it)', async () => {
    const callSid = randomBytes(16).toString('hex');
    const call = await placeHeldCall(stack.api, users.agent, {
      provider: 'exotel',
      providerCallId: callSid,
    });
    const url = `/api/webhooks/exotel/status?token=${EXOTEL.EXOTEL_WEBHOOK_TOKEN}&callId=${call.id}`;
    const moneyBefore = await money(call);
    const response = await deliver('exotel/status-completed.json', {
      url,
      override: {
        CallSid: callSid,
        CustomField: call.id,
        RecordingUrl: `${host.baseUrl}/expired/${callSid}.mp3`,
      },
    });
    expect(response.status).toBe(200);
    await processedCount(call.id, 1);

    const failed = await eventually(async () => {
      const body = (await detail(call.id)).body;
      return body.recording?.status === 'failed' ? body : null;
    }, 'the Exotel recording marked failed');
    expect(failed).toMatchObject({
      status: 'completed',
      durationSeconds: 87,
      final: true,
      recording: {
        url: null,
        status: 'failed',
        attempts: 3,
        error: 'exotel answered HTTP 403 for the recording',
      },
    });
    // Agents see the state, not the reason.
    expect((await detail(call.id, tokens.agent)).body.recording).toMatchObject({
      status: 'failed',
      error: null,
    });
    // No Exotel credentials went to the storage host.
    expect(
      host.requests.filter((r) => r.url.includes(callSid)).every((r) => !r.authorization),
    ).toBe(true);
    // The terminal callback settled the call once; the recording's fate moved no money.
    const settled = await money(call);
    expect(BigInt(settled.transactions)).toBeGreaterThan(BigInt(moneyBefore.transactions));
    const stillSettled = await money(call);
    expect(stillSettled).toEqual(settled);
    const recording = await fetch(`${stack.api.baseUrl}/api/calls/${call.id}/recording`, {
      headers: { authorization: `Bearer ${tokens.owner}` },
    });
    expect(recording.status).toBe(404);
  });

  it('the simulator: an answered call brings a generated WAV, a transcript with times and a summary; busy is final with none', async () => {
    const placed = await request(stack.api.baseUrl, 'POST', '/api/calls', {
      token: tokens.agent,
      body: { provider: 'simulator', to: '+14155550100', scenario: 'completed' },
    });
    expect(placed.status).toBe(201);
    const callId: string = placed.body.id;
    const view = await eventually(
      async () => {
        const body = (await detail(callId)).body;
        return body.recording?.status === 'stored' ? body : null;
      },
      'the simulator recording stored',
      30_000,
    );
    expect(view).toMatchObject({
      status: 'completed',
      final: true,
      hangupBy: 'callee',
      summary: expect.stringContaining('SMS reminder'),
      extractedData: { wants_sms_reminder: true },
      recording: { contentType: 'audio/wav', status: 'stored' },
    });
    expect(view.transcript[0]).toMatchObject({ speaker: 'agent', startSeconds: 0 });
    expect(view.recording.durationSeconds).toBe(view.durationSeconds);
    const audio = await fetch(`${stack.api.baseUrl}${view.recording.url}`, {
      headers: { range: 'bytes=0-11' },
    });
    expect(audio.status).toBe(206);
    expect(
      Buffer.from(await audio.arrayBuffer())
        .subarray(8, 12)
        .toString('ascii'),
    ).toBe('WAVE');

    const busy = await request(stack.api.baseUrl, 'POST', '/api/calls', {
      token: tokens.agent,
      body: { provider: 'simulator', to: '+14155550100', scenario: 'busy' },
    });
    const busyView = await eventually(
      async () => {
        const body = (await detail(busy.body.id)).body;
        return body.status === 'busy' ? body : null;
      },
      'the busy simulator call',
      30_000,
    );
    expect(busyView).toMatchObject({
      final: true,
      recording: null,
      transcript: null,
      summary: null,
    });
  });

  it("Twilio: a recording callback that never came is recovered by reconciliation from the call's Recording resources, stored once", async () => {
    const parent = `CA${randomBytes(16).toString('hex')}`;
    const child = `CA${randomBytes(16).toString('hex')}`;
    const recordingSid = `RE${randomBytes(16).toString('hex')}`;
    const call = await placeHeldCall(stack.api, users.agent, {
      provider: 'twilio',
      providerCallId: null,
      parentProviderCallId: parent,
    });
    const status = await deliver('twilio/status-completed.form.txt', {
      twilio: true,
      url: `/api/webhooks/twilio/status?callId=${call.id}`,
      override: {
        CallSid: child,
        ParentCallSid: parent,
        AccountSid: TEST_TWILIO.TWILIO_ACCOUNT_SID,
      },
    });
    expect(status.status).toBe(200);
    await processedCount(call.id, 1);
    const moneyBefore = await money(call);
    // No recordingStatusCallback ever comes; the call's 10-minute deadline has passed.
    await dataSource.query(
      `UPDATE call_outcomes SET final_due_at = now() - interval '1 minute' WHERE call_id = $1`,
      [call.id],
    );
    // Twilio's answer, as its API documents the Recording resource (newest first).
    host.twilioRecordings.set(parent, [
      {
        account_sid: TEST_TWILIO.TWILIO_ACCOUNT_SID,
        api_version: '2010-04-01',
        call_sid: parent,
        conference_sid: null,
        channels: 2,
        date_created: 'Tue, 14 Oct 2025 09:31:45 +0000',
        start_time: 'Tue, 14 Oct 2025 09:30:10 +0000',
        duration: '94',
        sid: recordingSid,
        price: null,
        price_unit: 'USD',
        status: 'completed',
        source: 'DialVerb',
        error_code: null,
        uri: `/2010-04-01/Accounts/${TEST_TWILIO.TWILIO_ACCOUNT_SID}/Recordings/${recordingSid}.json`,
      },
    ]);
    expect(await stack.worker.get(WebhookMaintenanceService).reconcile()).toBeGreaterThanOrEqual(1);
    await processedCount(call.id, 2);

    // The request: the parent leg's Recordings list, with the account's credentials.
    const listed = host.requests.filter((r) => r.url.includes(`/Calls/${parent}/Recordings.json`));
    expect(listed).toHaveLength(1);
    expect(listed[0].url).toMatch(
      new RegExp(
        `^/2010-04-01/Accounts/${TEST_TWILIO.TWILIO_ACCOUNT_SID}/Calls/${parent}/Recordings\\.json`,
      ),
    );
    expect(listed[0].authorization).toBe(
      `Basic ${Buffer.from(`${TEST_TWILIO.TWILIO_ACCOUNT_SID}:${TEST_TWILIO.TWILIO_AUTH_TOKEN}`).toString('base64')}`,
    );
    const view = await eventually(async () => {
      const body = (await detail(call.id)).body;
      return body.recording?.status === 'stored' ? body : null;
    }, 'the recovered Twilio recording stored');
    expect(view).toMatchObject({
      final: true,
      finalizedAt: expect.any(String),
      recording: { status: 'stored', contentType: 'audio/mpeg', durationSeconds: 94 },
    });
    // Copied from the recording's media URL (.mp3), like a callback's.
    const mediaPath = `/2010-04-01/Accounts/${TEST_TWILIO.TWILIO_ACCOUNT_SID}/Recordings/${recordingSid}.mp3`;
    expect(host.requests.filter((r) => r.url === mediaPath).length).toBeGreaterThanOrEqual(1);
    expect(await money(call)).toEqual(moneyBefore);
    // The timeline says what the recovered event stored, like the callback's row would.
    expect(view.timeline).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rawStatus: 'recording-completed',
          facts: expect.objectContaining({ stored: 'recording' }),
        }),
      ]),
    );

    // The late callback (same recording) is a duplicate; the next reconciliation asks nothing.
    const late = await deliver('twilio/recording-completed.form.txt', {
      twilio: true,
      url: `/api/webhooks/twilio/recording?callId=${call.id}`,
      override: {
        CallSid: parent,
        RecordingSid: recordingSid,
        AccountSid: TEST_TWILIO.TWILIO_ACCOUNT_SID,
        RecordingUrl: `${host.baseUrl}/2010-04-01/Accounts/${TEST_TWILIO.TWILIO_ACCOUNT_SID}/Recordings/${recordingSid}`,
      },
    });
    expect(late.body.duplicate).toBe(true);
    await stack.worker.get(WebhookMaintenanceService).reconcile();
    expect(
      host.requests.filter((r) => r.url.includes(`/Calls/${parent}/Recordings.json`)),
    ).toHaveLength(1);
  });

  it('recording retention: recordings stored longer ago than RECORDING_RETENTION_DAYS are deleted by the hourly job and shown as expired', async () => {
    expect(MAINTENANCE_SCHEDULES.map(([id]) => id)).toContain(EXPIRE_RECORDINGS);
    const old = await placeHeldCall(stack.api, users.agent);
    const recent = await placeHeldCall(stack.api, users.agent);
    const stored = async (callId: string, daysAgo: number) => {
      const key = `${users.owner.organizationId}/${callId}.mp3`;
      mkdirSync(join(recordingsDir, users.owner.organizationId), { recursive: true });
      writeFileSync(join(recordingsDir, ...key.split('/')), AUDIO);
      await dataSource.query(
        `INSERT INTO call_outcomes (call_id, organization_id, recording_status, recording_storage_key,
                                    recording_content_type, recording_size_bytes, recording_stored_at, finalized_at)
         VALUES ($1, $2, 'stored', $3, 'audio/mpeg', $4, now() - make_interval(days => $5), now())`,
        [callId, users.owner.organizationId, key, AUDIO.length, daysAgo],
      );
      return join(recordingsDir, ...key.split('/'));
    };
    const oldFile = await stored(old.id, 31);
    const recentFile = await stored(recent.id, 29);

    expect(await stack.worker.get(RecordingRetentionService).expire()).toBeGreaterThanOrEqual(1);

    expect(existsSync(oldFile)).toBe(false);
    expect(existsSync(recentFile)).toBe(true);
    expect((await detail(old.id)).body.recording).toMatchObject({
      status: 'expired',
      url: null,
      sizeBytes: null,
      retentionDays: 30,
      expiredAt: expect.any(String),
    });
    expect((await detail(recent.id)).body.recording).toMatchObject({
      status: 'stored',
      url: expect.any(String),
      expiredAt: null,
    });
    const gone = await fetch(`${stack.api.baseUrl}/api/calls/${old.id}/recording`, {
      headers: { authorization: `Bearer ${tokens.owner}` },
    });
    expect(gone.status).toBe(404);
    expect(JSON.stringify(await gone.json())).toContain('deleted after 30 days');
    // A second run finds nothing more to delete for these calls.
    await stack.worker.get(RecordingRetentionService).expire();
    expect(existsSync(recentFile)).toBe(true);
  });
});
