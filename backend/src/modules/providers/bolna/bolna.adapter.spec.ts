import { loadConfig } from '../../../config/app-config';
import {
  listFixtures,
  loadFixture,
  readJsonFixture,
} from '../../../../test/fixtures/providers/load-fixture';
import { ProviderApiStub } from '../../../../test/fixtures/providers/provider-api-stub';
import { IncomingWebhook, ProviderApiError, WebhookParseError } from '../provider-adapter';
import { BolnaAdapter } from './bolna.adapter';

const API_KEY = 'bn-3c9d0e1f2a4b5c6d7e8f9a0b1c2d3e4f';
const AGENT_ID = 'ac003a0c-605e-48f1-9516-52281183aa4f';
const WEBHOOK_SECRET = 'whsec-7d1e2f3a4b5c6d7e8f9a0b1c2d3e4f50';
const EXECUTION_ID = '4cbc60ea-d611-4d9f-936b-671d9cb75645';
const WEBHOOK_URL = '/api/webhooks/bolna';

/** DESIGN section 3, Bolna rows, written out here rather than read from provider-status-map. */
const DESIGN_BOLNA: Record<string, string> = {
  queued: 'initiated',
  scheduled: 'initiated',
  rescheduled: 'initiated',
  initiated: 'initiated',
  ringing: 'ringing',
  'in-progress': 'in_progress',
  answered: 'in_progress',
  ongoing: 'in_progress',
  'call-disconnected': 'completed',
  completed: 'completed',
  ended: 'completed',
  finished: 'completed',
  busy: 'busy',
  'no-answer': 'no_answer',
  failed: 'failed',
  error: 'failed',
  'balance-low': 'failed',
  canceled: 'cancelled',
  stopped: 'cancelled',
};

function adapter(overrides: Record<string, string> = {}): BolnaAdapter {
  return new BolnaAdapter(
    loadConfig({
      BOLNA_API_KEY: API_KEY,
      BOLNA_AGENT_ID: AGENT_ID,
      BOLNA_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ...overrides,
    }),
  );
}

const load = (file: string, options: Parameters<typeof loadFixture>[1] = {}): IncomingWebhook =>
  loadFixture(`bolna/${file}`, {
    url: WEBHOOK_URL,
    headers: { authorization: `Bearer ${WEBHOOK_SECRET}` },
    ...options,
  });

/** The completed fixture with telephony_data fields replaced. */
function completedWith(telephony: Record<string, unknown>, top: Record<string, unknown> = {}) {
  const body = readJsonFixture('bolna/execution-completed.json');
  return load('execution-completed.json', {
    override: {
      ...top,
      telephony_data: { ...(body.telephony_data as Record<string, unknown>), ...telephony },
    },
  });
}

describe('BolnaAdapter', () => {
  describe('isEnabled', () => {
    it('needs the API key, the agent id and the webhook secret', () => {
      expect(adapter().isEnabled()).toBe(true);
      for (const missing of ['BOLNA_API_KEY', 'BOLNA_AGENT_ID', 'BOLNA_WEBHOOK_SECRET']) {
        expect(adapter({ [missing]: '' }).isEnabled()).toBe(false);
      }
    });
  });

  describe('verifyWebhook', () => {
    const withAuthorization = (authorization?: string) =>
      load('execution-completed.json', { headers: authorization ? { authorization } : {} });

    it('accepts Authorization: Bearer <BOLNA_WEBHOOK_SECRET>', () => {
      expect(adapter().verifyWebhook(withAuthorization(`Bearer ${WEBHOOK_SECRET}`))).toBe(true);
      expect(adapter().verifyWebhook(withAuthorization(`bearer ${WEBHOOK_SECRET}`))).toBe(true);
    });

    it('refuses a wrong, shorter, longer or missing secret, and other schemes', () => {
      const sameLength = `${WEBHOOK_SECRET.slice(0, -1)}${WEBHOOK_SECRET.endsWith('0') ? '1' : '0'}`;
      for (const authorization of [
        `Bearer ${sameLength}`,
        `Bearer ${WEBHOOK_SECRET.slice(0, 10)}`,
        `Bearer ${WEBHOOK_SECRET}0`,
        'Bearer ',
        WEBHOOK_SECRET,
        `Basic ${Buffer.from(`x:${WEBHOOK_SECRET}`).toString('base64')}`,
        undefined,
      ]) {
        expect(adapter().verifyWebhook(withAuthorization(authorization))).toBe(false);
      }
    });

    it('refuses everything while Bolna is not configured', () => {
      const disabled = new BolnaAdapter(loadConfig({ BOLNA_WEBHOOK_SECRET: WEBHOOK_SECRET }));
      expect(disabled.verifyWebhook(withAuthorization(`Bearer ${WEBHOOK_SECRET}`))).toBe(false);
    });
  });

  describe('parseWebhook', () => {
    const files = listFixtures('bolna', 'execution-');

    it.each(files)('%s maps its status as DESIGN section 3 says', (file) => {
      const request = loadFixture(file);
      const event = adapter().parseWebhook(request);
      const raw = String(request.body.status);
      expect(event.rawStatus).toBe(raw);
      expect(event.status).toBe(DESIGN_BOLNA[raw]);
    });

    it.each(Object.entries(DESIGN_BOLNA))('raw status %s → %s', (raw, internal) => {
      const event = adapter().parseWebhook(
        load('execution-in-progress.json', { override: { status: raw } }),
      );
      expect(event.status).toBe(internal);
      expect(event.rawStatus).toBe(raw);
    });

    it('maps statuses case-insensitively, with -, _ and spaces equivalent', () => {
      for (const [raw, internal] of [
        ['Call Disconnected', 'completed'],
        ['BALANCE_LOW', 'failed'],
        ['In-Progress', 'in_progress'],
      ]) {
        const event = adapter().parseWebhook(
          load('execution-ringing.json', { override: { status: raw } }),
        );
        expect(event.status).toBe(internal);
      }
    });

    it('keeps an unknown status raw, with a null internal status', () => {
      const event = adapter().parseWebhook(
        load('execution-ringing.json', { override: { status: 'transferring' } }),
      );
      expect(event.status).toBeNull();
      expect(event.rawStatus).toBe('transferring');
    });

    it('reads the final figures of `completed`: carrier seconds, cost in micros, recording', () => {
      expect(adapter().parseWebhook(load('execution-completed.json'))).toEqual({
        dedupeKey: `${EXECUTION_ID}:completed`,
        providerCallId: EXECUTION_ID,
        callId: 'call_7f3a9b2c',
        rawStatus: 'completed',
        status: 'completed',
        occurredAt: new Date('2025-10-14T09:44:12.880Z'),
        facts: {
          durationSeconds: 95,
          providerCostMicros: 187_600n, // 18.76 cents = $0.1876
          providerCurrency: 'USD',
          recordingUrl:
            'https://bolna-recordings-india.s3.ap-south-1.amazonaws.com/plivo/7d970954-f0ad-492e-90bd-3c6b9e060f7b.mp3',
          hangupReason: 'Call recipient hungup',
        },
        // The outcome (recording, transcript…) is read in call-artifacts.spec.ts.
        artifacts: expect.any(Object),
        final: true,
      });
    });

    it('converts cents to micros exactly, whatever the float looks like', () => {
      const cost = (total_cost: unknown) =>
        adapter().parseWebhook(load('execution-completed.json', { override: { total_cost } })).facts
          .providerCostMicros;
      expect(cost(18.76)).toBe(187_600n);
      expect(cost(0.1 + 0.2)).toBe(3_000n); // 0.30000000000000004 cents
      expect(cost('7.125')).toBe(71_250n);
      expect(cost(1e-7)).toBe(0n);
      expect(cost(0)).toBe(0n);
      expect(cost(null)).toBeUndefined();
    });

    it('bills the carrier duration rounded up, else the conversation duration rounded up', () => {
      const seconds = (request: IncomingWebhook) =>
        adapter().parseWebhook(request).facts.durationSeconds;
      expect(seconds(completedWith({ duration: '95.2' }))).toBe(96);
      expect(seconds(completedWith({ duration: '0.0' }))).toBe(94); // conversation_duration 93.4
      expect(seconds(completedWith({ duration: null }, { conversation_duration: 61 }))).toBe(61);
    });

    it('accepts the older conversation_time', () => {
      const request = completedWith(
        { duration: '0.0' },
        { conversation_duration: undefined, conversation_time: 61.2 },
      );
      expect(adapter().parseWebhook(request).facts.durationSeconds).toBe(62);
    });

    it('takes no figures from call-disconnected, even when it carries some', () => {
      const request = load('execution-call-disconnected.json', {
        override: {
          conversation_duration: 93.4,
          total_cost: 12.5,
          telephony_data: {
            duration: '95',
            recording_url: 'https://example.test/early.mp3',
            hangup_reason: 'Call recipient hungup',
          },
        },
      });
      const event = adapter().parseWebhook(request);
      expect(event.status).toBe('completed');
      expect(event.facts).toEqual({});
      expect(adapter().parseWebhook(load('execution-call-disconnected.json')).facts).toEqual({});
    });

    it('keeps the raw status as the reason of failed, error and balance-low', () => {
      const reason = (status: string, error_message: string | null = null) =>
        adapter().parseWebhook(
          load('execution-failed.json', { override: { status, error_message } }),
        ).facts.hangupReason;
      expect(adapter().parseWebhook(load('execution-failed.json')).facts).toEqual({
        hangupReason: 'failed: Call recipient number invalid',
      });
      expect(reason('balance-low')).toBe('balance-low');
      expect(reason('error')).toBe('error');
      expect(reason('error', 'LLM timeout')).toBe('error: LLM timeout');
    });

    it('gives busy and no-answer the carrier hang-up reason and no figures', () => {
      expect(adapter().parseWebhook(load('execution-busy.json')).facts).toEqual({
        hangupReason: 'Call recipient was busy',
      });
      expect(adapter().parseWebhook(load('execution-no-answer.json')).facts).toEqual({
        hangupReason: 'Call unanswered',
      });
    });

    it('reads our call id from the recipient data and treats naive timestamps as UTC', () => {
      const event = adapter().parseWebhook(load('execution-ringing.json'));
      expect(event.callId).toBe('call_7f3a9b2c');
      expect(event.occurredAt).toEqual(new Date('2025-10-14T09:40:03.118Z'));
      expect(event.facts).toEqual({});
    });

    it('gives the same dedupe key to the same delivery and different keys to different events', () => {
      const twice = [0, 1].map(
        () => adapter().parseWebhook(load('execution-completed.json')).dedupeKey,
      );
      expect(twice[0]).toBe(twice[1]);
      const keys = files.map((file) => adapter().parseWebhook(loadFixture(file)).dedupeKey);
      expect(new Set(keys).size).toBe(files.length);
    });

    it('refuses an execution without id or status, or with a malformed cost or duration', () => {
      const parse = (override: Record<string, unknown>) => () =>
        adapter().parseWebhook(load('execution-completed.json', { override }));
      expect(parse({ id: undefined })).toThrow(new WebhookParseError('Bolna execution has no id'));
      expect(parse({ status: null })).toThrow(/has no status/);
      expect(parse({ total_cost: 'free' })).toThrow(/total_cost/);
      expect(parse({ telephony_data: { duration: 'long' } })).toThrow(/telephony_data.duration/);
    });
  });

  describe('Bolna API', () => {
    const stub = new ProviderApiStub();
    beforeAll(() => stub.start());
    afterAll(() => stub.stop());
    beforeEach(() => stub.reset());
    const apiAdapter = () => adapter({ BOLNA_API_BASE_URL: stub.baseUrl });
    const request = {
      callId: 'call_7f3a9b2c',
      from: '+918047112299',
      to: '+919812300100',
      timeLimitSeconds: 300,
      statusCallbackUrl: 'https://switchboard.example.com/api/webhooks/bolna',
    };

    describe('placeCall', () => {
      it('POSTs /call with the API key and our call id in user_data, and returns the execution id', async () => {
        stub.answer({ status: 200, body: readJsonFixture('bolna/call-response.json') });
        const placed = await apiAdapter().placeCall(request);

        expect(placed).toEqual({ providerCallId: EXECUTION_ID, from: '+918047112299' });
        const sent = stub.lastRequest;
        expect(sent.method).toBe('POST');
        expect(sent.url).toBe('/call');
        expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
        expect(sent.headers['content-type']).toBe('application/json');
        expect(JSON.parse(sent.body)).toEqual({
          agent_id: AGENT_ID,
          recipient_phone_number: '+919812300100',
          from_phone_number: '+918047112299',
          user_data: { call_id: 'call_7f3a9b2c' },
        });
      });

      it("names a campaign's agent and passes the contact's fields as the agent's variables (our call id wins)", async () => {
        stub.answer({ status: 200, body: readJsonFixture('bolna/call-response.json') });
        await apiAdapter().placeCall({
          ...request,
          agentId: 'campaign-agent-42',
          variables: { name: 'Asha Rao', company: 'Acme', call_id: 'spoofed' },
        });
        expect(JSON.parse(stub.lastRequest.body)).toMatchObject({
          agent_id: 'campaign-agent-42',
          user_data: { name: 'Asha Rao', company: 'Acme', call_id: 'call_7f3a9b2c' },
        });
      });

      it("leaves from_phone_number out when there is none (Bolna's default number)", async () => {
        stub.answer({ status: 200, body: readJsonFixture('bolna/call-response.json') });
        const placed = await apiAdapter().placeCall({ ...request, from: undefined });
        expect(placed).toEqual({ providerCallId: EXECUTION_ID });
        expect(JSON.parse(stub.lastRequest.body)).not.toHaveProperty('from_phone_number');
      });

      it("turns an error answer into a ProviderApiError with the status and Bolna's message", async () => {
        stub.answer({ status: 400, body: { message: 'Insufficient wallet balance' } });
        await expect(apiAdapter().placeCall(request)).rejects.toMatchObject({
          name: 'ProviderApiError',
          status: 400,
          message: 'Bolna API call failed with HTTP 400: Insufficient wallet balance',
        });
      });

      it('refuses a 2xx answer without execution_id', async () => {
        stub.answer({ status: 200, body: { message: 'done' } });
        await expect(apiAdapter().placeCall(request)).rejects.toThrow(/without an execution_id/);
      });

      it('refuses to place calls while Bolna is not configured', async () => {
        const disabled = new BolnaAdapter(loadConfig({ BOLNA_API_BASE_URL: stub.baseUrl }));
        await expect(disabled.placeCall(request)).rejects.toBeInstanceOf(ProviderApiError);
        expect(stub.requests).toHaveLength(0);
      });
    });

    describe('fetchCallState', () => {
      it('GETs the execution and reads it as the webhook would', async () => {
        stub.answer({ status: 200, body: readJsonFixture('bolna/execution-completed.json') });
        const event = await apiAdapter().fetchCallState(EXECUTION_ID);

        expect(stub.lastRequest.method).toBe('GET');
        expect(stub.lastRequest.url).toBe(`/executions/${EXECUTION_ID}`);
        expect(stub.lastRequest.headers.authorization).toBe(`Bearer ${API_KEY}`);
        expect(event).toEqual(
          adapter().parseWebhook(load('execution-completed.json', { url: '/x', query: {} })),
        );
      });

      it('answers null for an execution Bolna does not know (404)', async () => {
        stub.answer({ status: 404, body: { message: 'Execution not found' } });
        await expect(apiAdapter().fetchCallState(EXECUTION_ID)).resolves.toBeNull();
      });

      it('turns a server error or an unreadable execution into a ProviderApiError', async () => {
        stub.answer({ status: 500, body: { detail: 'Internal Server Error' } });
        await expect(apiAdapter().fetchCallState(EXECUTION_ID)).rejects.toMatchObject({
          status: 500,
          message: expect.stringContaining('HTTP 500: Internal Server Error'),
        });
        stub.answer({ status: 200, body: { id: EXECUTION_ID } });
        await expect(apiAdapter().fetchCallState(EXECUTION_ID)).rejects.toThrow(
          /unreadable execution: Bolna execution .* has no status/,
        );
      });
    });
  });
});
