import { loadConfig } from '../../../config/app-config';
import {
  listFixtures,
  loadFixture,
  loadTwilioFixture,
  readJsonFixture,
} from '../../../../test/fixtures/providers/load-fixture';
import { ProviderApiStub } from '../../../../test/fixtures/providers/provider-api-stub';
import { ProviderApiError, WebhookParseError } from '../provider-adapter';
import { TwilioAdapter } from './twilio.adapter';

const ACCOUNT_SID = 'AC55b47e1bd7721b5f779ed06721903800';
const AUTH_TOKEN = '5f2b0c9a7e4d4c3b8a1f6e2d9c8b7a61';
const PUBLIC_BASE_URL = 'https://switchboard.example.com';
const STATUS_URL = '/api/webhooks/twilio/status?callId=call_7f3a9b2c';
const CHILD_SID = 'CAe19a2fe581e3d3891fcf7b180e8c28a7';
const PARENT_SID = 'CA476bdb6ce5051580fee6f095d8fdc9e0';

/** DESIGN section 3, Twilio rows, written out here rather than read from provider-status-map. */
const DESIGN_TWILIO: Record<string, string> = {
  queued: 'initiated',
  initiated: 'initiated',
  ringing: 'ringing',
  'in-progress': 'in_progress',
  answered: 'in_progress',
  completed: 'completed',
  busy: 'busy',
  'no-answer': 'no_answer',
  failed: 'failed',
  canceled: 'cancelled',
};

function adapter(overrides: Record<string, string> = {}): TwilioAdapter {
  return new TwilioAdapter(
    loadConfig({
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      PUBLIC_BASE_URL,
      ...overrides,
    }),
  );
}

const signed = (file: string, options: Partial<Parameters<typeof loadTwilioFixture>[1]> = {}) =>
  loadTwilioFixture(`twilio/${file}`, {
    authToken: AUTH_TOKEN,
    publicBaseUrl: PUBLIC_BASE_URL,
    url: STATUS_URL,
    ...options,
  });

describe('TwilioAdapter', () => {
  describe('isEnabled', () => {
    it('is enabled only when the account sid and auth token are both set', () => {
      expect(adapter().isEnabled()).toBe(true);
      expect(new TwilioAdapter(loadConfig({ TWILIO_ACCOUNT_SID: ACCOUNT_SID })).isEnabled()).toBe(
        false,
      );
      expect(new TwilioAdapter(loadConfig({ TWILIO_AUTH_TOKEN: AUTH_TOKEN })).isEnabled()).toBe(
        false,
      );
    });
  });

  describe('verifyWebhook', () => {
    it('accepts a callback signed for the configured public URL, query string included', () => {
      expect(adapter().verifyWebhook(signed('status-completed.form.txt'))).toBe(true);
    });

    it('accepts it whether or not PUBLIC_BASE_URL ends with a slash', () => {
      const request = signed('status-ringing.form.txt');
      expect(adapter({ PUBLIC_BASE_URL: `${PUBLIC_BASE_URL}/` }).verifyWebhook(request)).toBe(true);
    });

    it('refuses a wrong signature', () => {
      const request = signed('status-completed.form.txt');
      const signature = String(request.headers['x-twilio-signature']);
      request.headers['x-twilio-signature'] =
        `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
      expect(adapter().verifyWebhook(request)).toBe(false);
    });

    it('refuses a request without X-Twilio-Signature', () => {
      const request = loadFixture('twilio/status-completed.form.txt', { url: STATUS_URL });
      expect(adapter().verifyWebhook(request)).toBe(false);
    });

    it('refuses a signature made with another auth token', () => {
      const request = signed('status-completed.form.txt', { authToken: 'another-auth-token' });
      expect(adapter().verifyWebhook(request)).toBe(false);
    });

    it('refuses a signature made for another query string (another call id)', () => {
      const request = signed('status-completed.form.txt', {
        signedUrl: `${PUBLIC_BASE_URL}/api/webhooks/twilio/status?callId=call_other`,
      });
      expect(adapter().verifyWebhook(request)).toBe(false);
    });

    it('refuses a signature made for another host, whatever the Host headers say', () => {
      const request = signed('status-completed.form.txt', {
        signedUrl: `https://attacker.example.net${STATUS_URL}`,
        headers: { host: 'attacker.example.net', 'x-forwarded-host': 'attacker.example.net' },
      });
      expect(adapter().verifyWebhook(request)).toBe(false);
    });

    it('refuses a body changed after signing', () => {
      const request = signed('status-no-answer.form.txt');
      request.body = { ...request.body, CallStatus: 'completed', CallDuration: '3600' };
      expect(adapter().verifyWebhook(request)).toBe(false);
    });

    it('refuses everything while Twilio is not configured', () => {
      const disabled = new TwilioAdapter(loadConfig({ PUBLIC_BASE_URL }));
      expect(disabled.verifyWebhook(signed('status-completed.form.txt'))).toBe(false);
    });
  });

  describe('parseWebhook', () => {
    const files = listFixtures('twilio', 'status-');

    it('has a fixture for every raw status Twilio reports', () => {
      const covered = files.map((file) => String(loadFixture(file).body.CallStatus));
      expect(new Set(covered)).toEqual(
        new Set(Object.keys(DESIGN_TWILIO).filter((s) => s !== 'answered')),
      );
    });

    it.each(files)('%s maps its CallStatus as DESIGN section 3 says', (file) => {
      const request = loadFixture(file, { url: STATUS_URL });
      const event = adapter().parseWebhook(request);
      const raw = String(request.body.CallStatus);
      expect(event.rawStatus).toBe(raw);
      expect(event.status).toBe(DESIGN_TWILIO[raw]);
    });

    it.each(Object.entries(DESIGN_TWILIO))('raw status %s → %s', (raw, internal) => {
      const request = loadFixture('twilio/status-ringing.form.txt', {
        override: { CallStatus: raw },
      });
      expect(adapter().parseWebhook(request).status).toBe(internal);
    });

    it('maps statuses case-insensitively, with -, _ and spaces equivalent', () => {
      for (const [raw, internal] of [
        ['In-Progress', 'in_progress'],
        ['NO_ANSWER', 'no_answer'],
        ['no answer', 'no_answer'],
      ]) {
        const request = loadFixture('twilio/status-ringing.form.txt', {
          override: { CallStatus: raw },
        });
        expect(adapter().parseWebhook(request).status).toBe(internal);
      }
    });

    it('keeps an unknown status raw, with a null internal status', () => {
      const request = loadFixture('twilio/status-ringing.form.txt', {
        override: { CallStatus: 'voicemail-detected' },
      });
      const event = adapter().parseWebhook(request);
      expect(event.status).toBeNull();
      expect(event.rawStatus).toBe('voicemail-detected');
    });

    it('reads the dialed leg, its parent leg, our call id from the URL and the sequence number', () => {
      const event = adapter().parseWebhook(
        loadFixture('twilio/status-ringing.form.txt', { url: STATUS_URL }),
      );
      expect(event).toMatchObject({
        providerCallId: CHILD_SID,
        parentProviderCallId: PARENT_SID,
        callId: 'call_7f3a9b2c',
        sequence: 1,
        occurredAt: new Date('2025-10-14T09:30:02Z'),
        dedupeKey: `${CHILD_SID}:ringing:1`,
        facts: {},
      });
    });

    it('bills from CallDuration (seconds), never from Duration (minutes)', () => {
      const event = adapter().parseWebhook(loadFixture('twilio/status-completed.form.txt'));
      expect(event.facts.durationSeconds).toBe(95);
      const onlyMinutes = loadFixture('twilio/status-completed.form.txt', {
        override: { CallDuration: null },
      });
      expect(adapter().parseWebhook(onlyMinutes).facts.durationSeconds).toBeUndefined();
    });

    it('gives no hang-up reason to a completed call, and the SIP code to the other endings', () => {
      const parse = (file: string) => adapter().parseWebhook(loadFixture(`twilio/${file}`)).facts;
      expect(parse('status-completed.form.txt').hangupReason).toBeUndefined();
      expect(parse('status-busy.form.txt').hangupReason).toBe('busy (SIP 486)');
      expect(parse('status-no-answer.form.txt').hangupReason).toBe('no-answer (SIP 487)');
      expect(parse('status-canceled.form.txt').hangupReason).toBe('canceled (SIP 487)');
      expect(parse('status-failed.form.txt').hangupReason).toBe('failed (SIP 404)');
      expect(parse('status-ringing.form.txt').hangupReason).toBeUndefined();
    });

    it('reads RecordingUrl when the leg was recorded', () => {
      const request = loadFixture('twilio/status-completed.form.txt', {
        override: { RecordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1' },
      });
      expect(adapter().parseWebhook(request).facts.recordingUrl).toBe(
        'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1',
      );
    });

    it('gives the same dedupe key to the same delivery and different keys to different events', () => {
      const twice = [0, 1].map(
        () => adapter().parseWebhook(loadFixture('twilio/status-completed.form.txt')).dedupeKey,
      );
      expect(twice[0]).toBe(twice[1]);
      expect(twice[0]).toBe(`${CHILD_SID}:completed:3`);
      const keys = files.map((file) => adapter().parseWebhook(loadFixture(file)).dedupeKey);
      expect(new Set(keys).size).toBe(files.length);
    });

    it('falls back to the time of receipt when Timestamp is missing or unreadable', () => {
      const before = Date.now();
      for (const Timestamp of [null, 'yesterday-ish']) {
        const request = loadFixture('twilio/status-ringing.form.txt', { override: { Timestamp } });
        const occurredAt = adapter().parseWebhook(request).occurredAt.getTime();
        expect(occurredAt).toBeGreaterThanOrEqual(before);
        expect(occurredAt).toBeLessThanOrEqual(Date.now());
      }
    });

    it('refuses a callback without CallSid or CallStatus, or with a malformed SequenceNumber', () => {
      const parse = (override: Record<string, unknown>) => () =>
        adapter().parseWebhook(loadFixture('twilio/status-ringing.form.txt', { override }));
      expect(parse({ CallSid: null })).toThrow(
        new WebhookParseError('Twilio status callback has no CallSid'),
      );
      expect(parse({ CallStatus: '' })).toThrow(WebhookParseError);
      expect(parse({ CallStatus: '' })).toThrow(/has no CallStatus/);
      expect(parse({ SequenceNumber: 'two' })).toThrow(/SequenceNumber/);
      expect(parse({ CallDuration: '1.5m' })).toThrow(/CallDuration/);
    });
  });

  describe('placeCall', () => {
    it('refuses: Twilio calls start in the browser', async () => {
      await expect(
        adapter().placeCall({
          callId: 'call_1',
          to: '+14155550100',
          timeLimitSeconds: 60,
          statusCallbackUrl: `${PUBLIC_BASE_URL}/x`,
        }),
      ).rejects.toThrow(
        new ProviderApiError('Twilio calls are placed from the browser through the Voice SDK'),
      );
    });
  });

  describe('fetchCallState', () => {
    const stub = new ProviderApiStub();
    beforeAll(() => stub.start());
    afterAll(() => stub.stop());
    beforeEach(() => stub.reset());
    const apiAdapter = () => adapter({ TWILIO_API_BASE_URL: stub.baseUrl });

    it('GETs the Call resource with HTTP Basic and maps its status, duration and price', async () => {
      stub.answer({ status: 200, body: readJsonFixture('twilio/call-resource-completed.json') });
      const event = await apiAdapter().fetchCallState(CHILD_SID);

      expect(stub.lastRequest.method).toBe('GET');
      expect(stub.lastRequest.url).toBe(
        `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${CHILD_SID}.json`,
      );
      expect(stub.lastRequest.headers.authorization).toBe(
        `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`,
      );
      expect(event).toEqual({
        dedupeKey: `reconcile:${CHILD_SID}:completed:-0.02600`,
        providerCallId: CHILD_SID,
        parentProviderCallId: PARENT_SID,
        rawStatus: 'completed',
        status: 'completed',
        occurredAt: new Date('2025-10-14T09:31:45Z'),
        facts: { durationSeconds: 95, providerCostMicros: 26_000n, providerCurrency: 'USD' },
      });
    });

    it('keys a fetch without a price apart from the later one that has it', async () => {
      const call = readJsonFixture('twilio/call-resource-completed.json');
      stub.answer({ status: 200, body: { ...call, price: null } });
      const event = await apiAdapter().fetchCallState(CHILD_SID);
      expect(event?.dedupeKey).toBe(`reconcile:${CHILD_SID}:completed`);
      expect(event?.facts.providerCostMicros).toBeUndefined();
    });

    it('answers null for a call Twilio does not know (404)', async () => {
      stub.answer({ status: 404, body: readJsonFixture('twilio/api-error-404.json') });
      await expect(
        apiAdapter().fetchCallState('CA00000000000000000000000000000000'),
      ).resolves.toBeNull();
    });

    it('turns any other error answer into a ProviderApiError naming the status and message', async () => {
      stub.answer({ status: 401, body: { code: 20003, message: 'Authenticate', status: 401 } });
      const failure = apiAdapter().fetchCallState(CHILD_SID);
      await expect(failure).rejects.toBeInstanceOf(ProviderApiError);
      await expect(failure).rejects.toMatchObject({
        status: 401,
        message: expect.stringMatching(/HTTP 401: Authenticate/),
      });
    });

    it('turns a network failure into a ProviderApiError', async () => {
      const closed = new ProviderApiStub();
      await closed.start();
      await closed.stop();
      await expect(
        adapter({ TWILIO_API_BASE_URL: closed.baseUrl }).fetchCallState(CHILD_SID),
      ).rejects.toThrow(/Twilio API request GET .* failed/);
    });
  });
});
