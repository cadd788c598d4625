import { loadConfig } from '../../../config/app-config';
import {
  listFixtures,
  loadFixture,
  readJsonFixture,
} from '../../../../test/fixtures/providers/load-fixture';
import { ProviderApiStub } from '../../../../test/fixtures/providers/provider-api-stub';
import { IncomingWebhook, ProviderApiError, WebhookParseError } from '../provider-adapter';
import { ExotelAdapter } from './exotel.adapter';

const ACCOUNT_SID = 'acmeconsole1';
const API_KEY = 'exotel-api-key-0f3a';
const API_TOKEN = 'exotel-api-token-9c1d';
const CALLER_ID = '08047112233';
const WEBHOOK_TOKEN = 'b64c1f7e0a2d4e8f9b3c5a7d1e6f2a40';
const CALL_SID = '308709479de1d2c28738bc150b909fee';
const STATUS_URL = `/api/webhooks/exotel/status?token=${WEBHOOK_TOKEN}`;

/** DESIGN section 3, Exotel rows, written out here rather than read from provider-status-map. */
const DESIGN_EXOTEL: Record<string, string> = {
  queued: 'initiated',
  initiated: 'initiated',
  ringing: 'ringing',
  'in-progress': 'in_progress',
  answered: 'in_progress',
  completed: 'completed',
  ended: 'completed',
  busy: 'busy',
  'no-answer': 'no_answer',
  failed: 'failed',
  canceled: 'cancelled',
  cancelled: 'cancelled',
};

/** What each fixture must become: DESIGN's mapping, except the agent-only answered event. */
const EXPECTED_BY_FILE: Record<string, string> = {
  'status-answered': 'in_progress',
  'status-answered-first-leg': 'ringing',
  'status-busy': 'busy',
  'status-completed': 'completed',
  'status-failed': 'failed',
  'status-no-answer': 'no_answer',
};

function adapter(overrides: Record<string, string> = {}): ExotelAdapter {
  return new ExotelAdapter(
    loadConfig({
      EXOTEL_ACCOUNT_SID: ACCOUNT_SID,
      EXOTEL_API_KEY: API_KEY,
      EXOTEL_API_TOKEN: API_TOKEN,
      EXOTEL_CALLER_ID: CALLER_ID,
      EXOTEL_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
      ...overrides,
    }),
  );
}

const load = (file: string, options: Parameters<typeof loadFixture>[1] = {}): IncomingWebhook =>
  loadFixture(`exotel/${file}`, { url: STATUS_URL, ...options });

describe('ExotelAdapter', () => {
  describe('isEnabled', () => {
    it('needs the account sid, API key and token, caller id and webhook token (not the subdomain)', () => {
      expect(adapter().isEnabled()).toBe(true);
      for (const missing of [
        'EXOTEL_ACCOUNT_SID',
        'EXOTEL_API_KEY',
        'EXOTEL_API_TOKEN',
        'EXOTEL_CALLER_ID',
        'EXOTEL_WEBHOOK_TOKEN',
      ]) {
        expect(adapter({ [missing]: '' }).isEnabled()).toBe(false);
      }
    });
  });

  describe('verifyWebhook', () => {
    it('accepts the callback URL token', () => {
      expect(adapter().verifyWebhook(load('status-completed.json'))).toBe(true);
    });

    it('refuses a wrong token of the same length, of another length, or none', () => {
      const withToken = (token: string | undefined) =>
        load('status-completed.json', { query: token === undefined ? {} : { token } });
      const sameLength = `${WEBHOOK_TOKEN.slice(0, -1)}${WEBHOOK_TOKEN.endsWith('0') ? '1' : '0'}`;
      expect(adapter().verifyWebhook(withToken(sameLength))).toBe(false);
      expect(adapter().verifyWebhook(withToken(`${WEBHOOK_TOKEN}x`))).toBe(false);
      expect(adapter().verifyWebhook(withToken(WEBHOOK_TOKEN.slice(0, 8)))).toBe(false);
      expect(adapter().verifyWebhook(withToken(''))).toBe(false);
      expect(adapter().verifyWebhook(withToken(undefined))).toBe(false);
    });

    it('does not take the token from a header', () => {
      const request = load('status-completed.json', {
        query: {},
        headers: { token: WEBHOOK_TOKEN, authorization: `Bearer ${WEBHOOK_TOKEN}` },
      });
      expect(adapter().verifyWebhook(request)).toBe(false);
    });

    it('refuses everything while Exotel is not configured', () => {
      expect(new ExotelAdapter(loadConfig({})).verifyWebhook(load('status-completed.json'))).toBe(
        false,
      );
    });
  });

  describe('parseWebhook', () => {
    const files = [...listFixtures('exotel', 'status-')];

    it.each(files)('%s maps as DESIGN section 3 says', (file) => {
      const request = loadFixture(file, { url: STATUS_URL });
      const event = adapter().parseWebhook(request);
      const name = file.replace(/^exotel\//, '').replace(/\.(form\.txt|json)$/, '');
      expect(event.status).toBe(EXPECTED_BY_FILE[name]);
      expect(event.rawStatus).toBe(request.body.Status);
      if (name !== 'status-answered-first-leg') {
        expect(event.status).toBe(DESIGN_EXOTEL[String(request.body.Status)]);
      }
    });

    it.each(Object.entries(DESIGN_EXOTEL))('raw status %s → %s', (raw, internal) => {
      const request = load('status-completed.json', { override: { Status: raw } });
      expect(adapter().parseWebhook(request).status).toBe(internal);
    });

    it('maps statuses case-insensitively, with -, _ and spaces equivalent', () => {
      for (const [raw, internal] of [
        ['No Answer', 'no_answer'],
        ['NO_ANSWER', 'no_answer'],
        ['Completed', 'completed'],
      ]) {
        const request = load('status-busy.json', { override: { Status: raw } });
        expect(adapter().parseWebhook(request).status).toBe(internal);
      }
    });

    it('keeps an unknown status raw, with a null internal status', () => {
      const event = adapter().parseWebhook(
        load('status-completed.json', { override: { Status: 'machine-detected' } }),
      );
      expect(event.status).toBeNull();
      expect(event.rawStatus).toBe('machine-detected');
    });

    it.each([
      'status-answered',
      'status-answered-first-leg',
      'status-busy',
      'status-completed',
      'status-failed',
      'status-no-answer',
    ])('%s: JSON, URL-encoded and multipart bodies parse to the same event', (name) => {
      const json = adapter().parseWebhook(load(`${name}.json`));
      const urlEncoded = adapter().parseWebhook(load(`${name}.form.txt`));
      const multipart = adapter().parseWebhook(load(`${name}.form.txt`, { encoding: 'multipart' }));
      expect(urlEncoded).toEqual(json);
      expect(multipart).toEqual(json);
    });

    it('reads a terminal event: talk time, recording, our call id, local time with the configured offset', () => {
      const event = adapter().parseWebhook(load('status-completed.json'));
      expect(event).toEqual({
        dedupeKey: `${CALL_SID}:terminal:completed:completed,completed`,
        providerCallId: CALL_SID,
        callId: 'call_7f3a9b2c',
        rawStatus: 'completed',
        status: 'completed',
        occurredAt: new Date('2025-10-14T09:31:45Z'), // 15:01:45 at +05:30
        facts: {
          durationSeconds: 87,
          recordingUrl:
            'https://s3-ap-southeast-1.amazonaws.com/exotelrecordings/acmeconsole1/308709479de1d2c28738bc150b909fee.mp3',
        },
        // The outcome (recording, transcript…) is read in call-artifacts.spec.ts.
        artifacts: expect.any(Object),
        final: true,
      });
    });

    it('interprets DateUpdated with EXOTEL_UTC_OFFSET', () => {
      const event = adapter({ EXOTEL_UTC_OFFSET: '+08:00' }).parseWebhook(
        load('status-completed.json'),
      );
      expect(event.occurredAt).toEqual(new Date('2025-10-14T07:01:45Z'));
    });

    it('tells the two answered events apart: agent only → ringing, customer on the line → in_progress', () => {
      const first = adapter().parseWebhook(load('status-answered-first-leg.json'));
      const second = adapter().parseWebhook(load('status-answered.json'));
      expect(first).toMatchObject({ status: 'ringing', rawStatus: 'in-progress', facts: {} });
      expect(second).toMatchObject({ status: 'in_progress', rawStatus: 'in-progress', facts: {} });
      expect(first.dedupeKey).toBe(`${CALL_SID}:answered:in-progress:in-progress,`);
      expect(second.dedupeKey).toBe(`${CALL_SID}:answered:in-progress:in-progress,in-progress`);
    });

    it('takes our call id from the callback URL when CustomField is absent (answered events)', () => {
      const request = load('status-answered.json', { url: `${STATUS_URL}&callId=call_7f3a9b2c` });
      expect(adapter().parseWebhook(request).callId).toBe('call_7f3a9b2c');
      expect(adapter().parseWebhook(load('status-answered.json')).callId).toBeUndefined();
    });

    it('gives the same dedupe key to the same delivery and different keys to different events', () => {
      const again = adapter().parseWebhook(load('status-busy.form.txt')).dedupeKey;
      expect(adapter().parseWebhook(load('status-busy.json')).dedupeKey).toBe(again);
      const keys = files
        .filter((file) => file.endsWith('.json'))
        .map((file) => adapter().parseWebhook(loadFixture(file)).dedupeKey);
      expect(new Set(keys).size).toBe(keys.length);
    });

    it('explains an ending from the legs', () => {
      const reason = (file: string) => adapter().parseWebhook(load(file)).facts.hangupReason;
      expect(reason('status-busy.json')).toBe('busy (agent leg completed, customer leg busy)');
      expect(reason('status-no-answer.form.txt')).toBe(
        'no-answer (agent leg completed, customer leg no-answer)',
      );
      expect(reason('status-failed.json')).toBe(
        'failed (agent leg failed, customer leg not attempted)',
      );
      expect(reason('status-completed.json')).toBeUndefined();
    });

    it('derives a terminal status that Exotel left empty from the legs', () => {
      for (const file of ['status-failed.json', 'status-failed.form.txt']) {
        const event = adapter().parseWebhook(
          load(file, { override: { Status: file.endsWith('.json') ? null : '' } }),
        );
        expect(event.status).toBe('failed');
        expect(event.rawStatus).toBe('failed');
        expect(event.facts.hangupReason).toBe(
          'failed (agent leg failed, customer leg not attempted)',
        );
      }
      const busy = adapter().parseWebhook(
        load('status-busy.form.txt', { override: { Status: '' } }),
      );
      expect(busy.status).toBe('busy');
      const done = adapter().parseWebhook(
        load('status-completed.json', { override: { Status: null } }),
      );
      expect(done.status).toBe('completed');
    });

    it('records recording and duration only when present, and the duration only on terminal events', () => {
      const answered = adapter().parseWebhook(load('status-answered.form.txt'));
      expect(answered.facts.durationSeconds).toBeUndefined();
      expect(answered.facts.recordingUrl).toBeUndefined();
      const busy = adapter().parseWebhook(load('status-busy.form.txt'));
      expect(busy.facts).toMatchObject({ durationSeconds: 0 });
      expect(busy.facts.recordingUrl).toBeUndefined();
    });

    it('refuses a callback without CallSid, or without any status to go by', () => {
      expect(() =>
        adapter().parseWebhook(load('status-completed.json', { override: { CallSid: undefined } })),
      ).toThrow(new WebhookParseError('Exotel status callback has no CallSid'));
      const noStatus = load('status-completed.json', {
        override: { Status: null, EventType: 'terminal', Legs: undefined },
      });
      expect(() => adapter().parseWebhook(noStatus)).toThrow(/no Status and no leg status/);
      const badDuration = load('status-completed.json', {
        override: { ConversationDuration: 'eighty' },
      });
      expect(() => adapter().parseWebhook(badDuration)).toThrow(WebhookParseError);
    });

    it('accepts the minimal callback sent without StatusCallbackEvents (four fields)', () => {
      const request = load('status-completed.json', {
        override: Object.fromEntries(
          [
            'EventType',
            'DateCreated',
            'To',
            'From',
            'PhoneNumberSid',
            'StartTime',
            'EndTime',
            'ConversationDuration',
            'Direction',
            'CustomField',
            'Legs',
          ].map((key) => [key, undefined]),
        ),
      });
      expect(adapter().parseWebhook(request)).toMatchObject({
        status: 'completed',
        dedupeKey: `${CALL_SID}::completed:`,
        facts: { recordingUrl: expect.stringContaining('.mp3') },
      });
    });
  });

  describe('Exotel API', () => {
    const stub = new ProviderApiStub();
    beforeAll(() => stub.start());
    afterAll(() => stub.stop());
    beforeEach(() => stub.reset());
    const apiAdapter = (overrides: Record<string, string> = {}) =>
      adapter({ EXOTEL_API_BASE_URL: stub.baseUrl, ...overrides });
    const basic = `Basic ${Buffer.from(`${API_KEY}:${API_TOKEN}`).toString('base64')}`;
    const request = {
      callId: 'call_7f3a9b2c',
      from: '09812300200',
      to: '09812300100',
      timeLimitSeconds: 600,
      statusCallbackUrl: `https://switchboard.example.com/api/webhooks/exotel/status?token=${WEBHOOK_TOKEN}`,
    };

    describe('placeCall', () => {
      it('POSTs connect.json with HTTP Basic and the form parameters, and returns Call.Sid', async () => {
        stub.answer({ status: 200, body: readJsonFixture('exotel/connect-response.json') });
        const placed = await apiAdapter().placeCall(request);

        expect(placed).toEqual({ providerCallId: CALL_SID, from: CALLER_ID });
        const sent = stub.lastRequest;
        expect(sent.method).toBe('POST');
        expect(sent.url).toBe(`/v1/Accounts/${ACCOUNT_SID}/Calls/connect.json`);
        expect(sent.headers.authorization).toBe(basic);
        expect(sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
        expect(Object.fromEntries(new URLSearchParams(sent.body))).toEqual({
          From: '09812300200',
          To: '09812300100',
          CallerId: CALLER_ID,
          TimeLimit: '600',
          StatusCallback: request.statusCallbackUrl,
          'StatusCallbackEvents[0]': 'terminal',
          'StatusCallbackEvents[1]': 'answered',
          StatusCallbackContentType: 'application/json',
          CustomField: 'call_7f3a9b2c',
          Record: 'true',
        });
      });

      it("caps TimeLimit at Exotel's 4 hours and sends whole seconds", async () => {
        stub.answer({ status: 200, body: readJsonFixture('exotel/connect-response.json') });
        await apiAdapter().placeCall({ ...request, timeLimitSeconds: 20_000.7 });
        expect(new URLSearchParams(stub.lastRequest.body).get('TimeLimit')).toBe('14400');
        stub.answer({ status: 200, body: readJsonFixture('exotel/connect-response.json') });
        await apiAdapter().placeCall({ ...request, timeLimitSeconds: 90.9 });
        expect(new URLSearchParams(stub.lastRequest.body).get('TimeLimit')).toBe('90');
      });

      it("refuses without the agent's phone number, before calling Exotel", async () => {
        await expect(apiAdapter().placeCall({ ...request, from: undefined })).rejects.toThrow(
          /agent's phone number \(from\)/,
        );
        expect(stub.requests).toHaveLength(0);
      });

      it("turns an error answer into a ProviderApiError with the status and Exotel's message", async () => {
        stub.answer({ status: 400, body: readJsonFixture('exotel/api-error-400.json') });
        const failure = apiAdapter().placeCall(request);
        await expect(failure).rejects.toBeInstanceOf(ProviderApiError);
        await expect(failure).rejects.toMatchObject({
          status: 400,
          message: "Exotel API connect call failed with HTTP 400: 'To' is not a valid phone number",
        });
      });

      it('refuses a 2xx answer without Call.Sid', async () => {
        stub.answer({ status: 200, body: { Call: {} } });
        await expect(apiAdapter().placeCall(request)).rejects.toThrow(/without Call.Sid/);
      });

      it('refuses to place calls while Exotel is not configured', async () => {
        const disabled = new ExotelAdapter(loadConfig({ EXOTEL_API_BASE_URL: stub.baseUrl }));
        await expect(disabled.placeCall(request)).rejects.toThrow(/Exotel is not configured/);
        expect(stub.requests).toHaveLength(0);
      });
    });

    describe('fetchCallState', () => {
      it('GETs the call details and reads status, talk time, price (INR) and recording', async () => {
        stub.answer({ status: 200, body: readJsonFixture('exotel/call-details-completed.json') });
        const event = await apiAdapter().fetchCallState(CALL_SID);

        expect(stub.lastRequest.method).toBe('GET');
        expect(stub.lastRequest.url).toBe(
          `/v1/Accounts/${ACCOUNT_SID}/Calls/${CALL_SID}.json?details=true`,
        );
        expect(stub.lastRequest.headers.authorization).toBe(basic);
        expect(event).toEqual({
          dedupeKey: `reconcile:${CALL_SID}:completed:1.500`,
          providerCallId: CALL_SID,
          callId: undefined,
          rawStatus: 'completed',
          status: 'completed',
          occurredAt: new Date('2025-10-14T09:36:12Z'),
          facts: {
            durationSeconds: 87,
            providerCostMicros: 1_500_000n,
            providerCurrency: 'INR',
            recordingUrl:
              'https://s3-ap-southeast-1.amazonaws.com/exotelrecordings/acmeconsole1/308709479de1d2c28738bc150b909fee.mp3',
          },
          // The outcome (recording, transcript…) is read in call-artifacts.spec.ts.
          artifacts: expect.any(Object),
          final: true,
        });
      });

      it('bills nothing from Call.Duration (agent leg included) without details, and leaves the price out until Exotel sets it', async () => {
        const { Call } = readJsonFixture<{ Call: Record<string, unknown> }>(
          'exotel/call-details-completed.json',
        );
        stub.answer({ status: 200, body: { Call: { ...Call, Details: undefined, Price: null } } });
        const event = await apiAdapter().fetchCallState(CALL_SID);
        expect(event?.facts).toEqual({ recordingUrl: expect.any(String) });
        expect(event?.dedupeKey).toBe(`reconcile:${CALL_SID}:completed`);
      });

      it('answers null for a call Exotel does not know (404)', async () => {
        stub.answer({
          status: 404,
          body: { RestException: { Status: 404, Message: 'Not Found' } },
        });
        await expect(apiAdapter().fetchCallState('0000')).resolves.toBeNull();
      });

      it('turns a server error into a ProviderApiError naming the status', async () => {
        stub.answer({ status: 503, body: 'Service Unavailable' });
        await expect(apiAdapter().fetchCallState(CALL_SID)).rejects.toMatchObject({
          name: 'ProviderApiError',
          status: 503,
          message: expect.stringContaining('HTTP 503: Service Unavailable'),
        });
      });
    });

    it('uses EXOTEL_SUBDOMAIN when EXOTEL_API_BASE_URL is left at its default', () => {
      const baseUrl = (a: ExotelAdapter) => (a as any).apiBaseUrl() as string;
      expect(baseUrl(adapter())).toBe('https://api.exotel.com');
      expect(baseUrl(adapter({ EXOTEL_SUBDOMAIN: 'api.in.exotel.com' }))).toBe(
        'https://api.in.exotel.com',
      );
      expect(baseUrl(adapter({ EXOTEL_SUBDOMAIN: '@api.in.exotel.com' }))).toBe(
        'https://api.in.exotel.com',
      );
      expect(baseUrl(apiAdapter({ EXOTEL_SUBDOMAIN: 'api.in.exotel.com' }))).toBe(stub.baseUrl);
    });
  });
});
