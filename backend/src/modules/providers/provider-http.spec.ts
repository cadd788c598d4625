import { ProviderApiStub } from '../../../test/fixtures/providers/provider-api-stub';
import { ProviderApiError } from './provider-adapter';
import {
  basicAuthorization,
  headerValue,
  providerFetch,
  providerHttpError,
  secretMatches,
  textField,
  trimBaseUrl,
} from './provider-http';

describe('provider-http', () => {
  describe('providerFetch', () => {
    const stub = new ProviderApiStub();
    beforeAll(() => stub.start());
    afterAll(() => stub.stop());
    beforeEach(() => stub.reset());

    it('sends the method, headers and body, and returns the status with the parsed JSON', async () => {
      stub.answer({ status: 201, body: { ok: true, n: 1 } });
      const response = await providerFetch('Acme', {
        method: 'POST',
        url: `${stub.baseUrl}/v1/things?x=1`,
        headers: { Authorization: 'Bearer k', 'Content-Type': 'application/json' },
        body: '{"a":1}',
      });
      expect(response).toEqual({
        status: 201,
        ok: true,
        json: { ok: true, n: 1 },
        text: '{"ok":true,"n":1}',
      });
      expect(stub.lastRequest).toMatchObject({
        method: 'POST',
        url: '/v1/things?x=1',
        body: '{"a":1}',
      });
      expect(stub.lastRequest.headers.authorization).toBe('Bearer k');
    });

    it('returns error answers as they are, with text when the body is not JSON', async () => {
      stub.answer({ status: 502, body: 'Bad Gateway' });
      const response = await providerFetch('Acme', { method: 'GET', url: `${stub.baseUrl}/x` });
      expect(response).toEqual({ status: 502, ok: false, json: undefined, text: 'Bad Gateway' });
    });

    it('gives up after the timeout with a ProviderApiError', async () => {
      stub.answer({ status: 200, body: {}, delayMs: 1_000 });
      const failure = providerFetch('Acme', {
        method: 'GET',
        url: `${stub.baseUrl}/slow?secret=s3cr3t`,
        timeoutMs: 50,
      });
      await expect(failure).rejects.toBeInstanceOf(ProviderApiError);
      await expect(failure).rejects.toThrow(
        `Acme API request GET ${stub.baseUrl}/slow failed: no answer within 50 ms`,
      );
    });

    it('turns a refused connection into a ProviderApiError without a status', async () => {
      const closed = new ProviderApiStub();
      await closed.start();
      await closed.stop();
      const failure = providerFetch('Acme', { method: 'GET', url: `${closed.baseUrl}/x` });
      await expect(failure).rejects.toMatchObject({
        name: 'ProviderApiError',
        status: undefined,
        message: expect.stringMatching(/^Acme API request GET .* failed: .*ECONNREFUSED/),
      });
    });
  });

  describe('providerHttpError', () => {
    const response = (status: number, json: unknown, text = JSON.stringify(json)) => ({
      status,
      ok: false,
      json,
      text,
    });

    it("names the provider, the action, the HTTP status and the provider's message", () => {
      const exotel = providerHttpError(
        'Exotel',
        'connect call',
        response(400, { RestException: { Status: 400, Message: 'Invalid To' } }),
      );
      expect(exotel).toBeInstanceOf(ProviderApiError);
      expect(exotel.status).toBe(400);
      expect(exotel.message).toBe('Exotel API connect call failed with HTTP 400: Invalid To');
      expect(
        providerHttpError(
          'Twilio',
          'fetch',
          response(401, { code: 20003, message: 'Authenticate' }),
        ).message,
      ).toBe('Twilio API fetch failed with HTTP 401: Authenticate');
      expect(
        providerHttpError('Bolna', 'call', response(422, { detail: [{ msg: 'field required' }] }))
          .message,
      ).toBe('Bolna API call failed with HTTP 422: [{"msg":"field required"}]');
      expect(providerHttpError('Bolna', 'call', response(500, undefined, '')).message).toBe(
        'Bolna API call failed with HTTP 500',
      );
    });
  });

  describe('webhook helpers', () => {
    it('compares secrets in constant time, refusing other lengths and empty values', () => {
      expect(secretMatches('s3cret-token', 's3cret-token')).toBe(true);
      expect(secretMatches('s3cret-tokeN', 's3cret-token')).toBe(false);
      expect(secretMatches('s3cret', 's3cret-token')).toBe(false);
      expect(secretMatches('s3cret-token-and-more', 's3cret-token')).toBe(false);
      expect(secretMatches(undefined, 's3cret-token')).toBe(false);
      expect(secretMatches('', '')).toBe(false);
      expect(secretMatches('x', undefined)).toBe(false);
    });

    it('reads headers case-insensitively, the first of repeated ones', () => {
      const headers = { 'X-Twilio-Signature': 'abc', authorization: ['Bearer a', 'Bearer b'] };
      expect(headerValue(headers, 'x-twilio-signature')).toBe('abc');
      expect(headerValue(headers, 'Authorization')).toBe('Bearer a');
      expect(headerValue(headers, 'missing')).toBeUndefined();
    });

    it('reads fields as text: numbers printed, empty and null as absent', () => {
      expect(textField(' a ')).toBe('a');
      expect(textField(87)).toBe('87');
      expect(textField('')).toBeUndefined();
      expect(textField(null)).toBeUndefined();
      expect(textField({ a: 1 })).toBeUndefined();
      expect(textField(Number.NaN)).toBeUndefined();
    });

    it('builds Basic credentials and trims base URLs', () => {
      expect(basicAuthorization('key', 'tok:en')).toBe(
        `Basic ${Buffer.from('key:tok:en').toString('base64')}`,
      );
      expect(trimBaseUrl('https://api.example.com//')).toBe('https://api.example.com');
    });
  });
});
