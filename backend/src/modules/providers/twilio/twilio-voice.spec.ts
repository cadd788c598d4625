import { loadFixture } from '../../../../test/fixtures/providers/load-fixture';
import { WebhookParseError } from '../provider-adapter';
import {
  buildDialTwiml,
  buildRefusalTwiml,
  createVoiceAccessToken,
  parseVoiceRequest,
  twilioIdentityForUser,
  userIdFromTwilioIdentity,
} from './twilio-voice';

const USER_ID = '3f1c2a9e-7b4d-4e8a-9c61-0d2f5b7a8e13';

function decodeJwtPayload(token: string): Record<string, any> {
  const [, payload] = token.split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

describe('twilio-voice', () => {
  describe('buildDialTwiml', () => {
    it('dials the number with our caller id, the time limit and status callbacks for every event', () => {
      const xml = buildDialTwiml({
        callerId: '+14155550142',
        to: '+14155550100',
        timeLimitSeconds: 300,
        statusCallbackUrl: 'https://switchboard.example.com/api/webhooks/twilio/status?callId=c1',
      });
      expect(xml).toBe(
        '<?xml version="1.0" encoding="UTF-8"?><Response>' +
          '<Dial callerId="+14155550142" timeLimit="300">' +
          '<Number statusCallback="https://switchboard.example.com/api/webhooks/twilio/status?callId=c1"' +
          ' statusCallbackEvent="initiated ringing answered completed" statusCallbackMethod="POST">' +
          '+14155550100</Number></Dial></Response>',
      );
    });

    it('escapes what it puts in attributes and text', () => {
      const xml = buildDialTwiml({
        callerId: '+14155550142"><Hangup/>',
        to: '+1415<Play>x</Play>',
        timeLimitSeconds: 60,
        statusCallbackUrl: 'https://switchboard.example.com/status?callId=c1&token=a"b',
      });
      expect(xml).toContain('callId=c1&amp;token=a&quot;b');
      expect(xml).toContain('callerId="+14155550142&quot;>&lt;Hangup/>"');
      expect(xml).toContain('>+1415&lt;Play&gt;x&lt;/Play&gt;</Number>');
      expect(xml).not.toContain('<Hangup/>');
      expect(xml).not.toContain('<Play>');
    });

    it('rounds the time limit down to whole seconds and refuses less than one second', () => {
      const base = { callerId: '+1', to: '+2', statusCallbackUrl: 'https://x.test/s' };
      expect(buildDialTwiml({ ...base, timeLimitSeconds: 90.9 })).toContain('timeLimit="90"');
      expect(buildDialTwiml({ ...base, timeLimitSeconds: 99_999 })).toContain('timeLimit="14400"');
      expect(() => buildDialTwiml({ ...base, timeLimitSeconds: 0 })).toThrow(RangeError);
      expect(() => buildDialTwiml({ ...base, timeLimitSeconds: Number.NaN })).toThrow(RangeError);
    });
  });

  describe('buildRefusalTwiml', () => {
    it('says the message, escaped, then hangs up', () => {
      expect(buildRefusalTwiml('Balance too low <for> this call & sorry')).toBe(
        '<?xml version="1.0" encoding="UTF-8"?><Response>' +
          '<Say>Balance too low &lt;for&gt; this call &amp; sorry</Say><Hangup/></Response>',
      );
    });
  });

  describe('identities', () => {
    it('turns a user id into an identity of 32 hex characters and back', () => {
      const identity = twilioIdentityForUser(USER_ID);
      expect(identity).toBe('3f1c2a9e7b4d4e8a9c610d2f5b7a8e13');
      expect(identity).toMatch(/^[A-Za-z0-9_]{1,121}$/);
      expect(userIdFromTwilioIdentity(identity)).toBe(USER_ID);
    });

    it('answers null for an identity that is not one of our users', () => {
      for (const identity of [
        'agent_01hx7k2m',
        '',
        '3f1c2a9e7b4d4e8a9c610d2f5b7a8e1',
        'z'.repeat(32),
      ]) {
        expect(userIdFromTwilioIdentity(identity)).toBeNull();
      }
    });
  });

  describe('parseVoiceRequest', () => {
    it('reads the browser leg of the real-format fixture', () => {
      const { body } = loadFixture('twilio/voice-request.form.txt');
      expect(parseVoiceRequest(body)).toEqual({
        callSid: 'CA476bdb6ce5051580fee6f095d8fdc9e0',
        identity: 'agent_01hx7k2m',
        userId: null,
        to: '+14155550100',
        callerId: undefined,
        accountSid: 'AC55b47e1bd7721b5f779ed06721903800',
      });
    });

    it('finds the user behind a Switchboard identity and the optional CallerId param', () => {
      const { body } = loadFixture('twilio/voice-request.form.txt', {
        override: {
          From: `client:${twilioIdentityForUser(USER_ID)}`,
          Caller: `client:${twilioIdentityForUser(USER_ID)}`,
          CallerId: '+14155550142',
        },
      });
      expect(parseVoiceRequest(body)).toMatchObject({ userId: USER_ID, callerId: '+14155550142' });
    });

    it('refuses requests it cannot act on, saying why', () => {
      const parse = (override: Record<string, unknown>) => () =>
        parseVoiceRequest(loadFixture('twilio/voice-request.form.txt', { override }).body);
      expect(parse({ CallSid: null })).toThrow(
        new WebhookParseError('Twilio voice request has no CallSid'),
      );
      expect(parse({ From: '+14155550199' })).toThrow(/must come from a browser client/);
      expect(parse({ From: 'client:' })).toThrow(/empty client identity/);
      expect(parse({ To: '' })).toThrow(/has no To/);
      expect(parse({ To: '' })).toThrow(WebhookParseError);
    });
  });

  describe('createVoiceAccessToken', () => {
    it('grants outgoing calls through the TwiML App only, for the identity and lifetime asked', () => {
      const token = createVoiceAccessToken({
        accountSid: 'AC55b47e1bd7721b5f779ed06721903800',
        apiKeySid: 'SK0123456789abcdef0123456789abcdef',
        apiKeySecret: 'api-key-secret',
        twimlAppSid: 'AP378daa6a543d3bbdb315b94eb370d989',
        identity: twilioIdentityForUser(USER_ID),
        ttlSeconds: 3600,
      });
      const payload = decodeJwtPayload(token);
      expect(payload.iss).toBe('SK0123456789abcdef0123456789abcdef');
      expect(payload.sub).toBe('AC55b47e1bd7721b5f779ed06721903800');
      expect(payload.exp - payload.iat).toBe(3600);
      // No `incoming` grant at all: the browser cannot receive calls.
      expect(payload.grants).toEqual({
        identity: '3f1c2a9e7b4d4e8a9c610d2f5b7a8e13',
        voice: { outgoing: { application_sid: 'AP378daa6a543d3bbdb315b94eb370d989' } },
      });
    });

    it('refuses a lifetime Twilio would not accept', () => {
      const options = {
        accountSid: 'AC1',
        apiKeySid: 'SK1',
        apiKeySecret: 's',
        twimlAppSid: 'AP1',
        identity: 'x',
      };
      expect(() => createVoiceAccessToken({ ...options, ttlSeconds: 0 })).toThrow(RangeError);
      expect(() => createVoiceAccessToken({ ...options, ttlSeconds: 86_401 })).toThrow(RangeError);
    });
  });
});
