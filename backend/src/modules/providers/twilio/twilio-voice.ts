import { jwt, twiml } from 'twilio';
import { WebhookParseError } from '../provider-adapter';
import { textField } from '../provider-http';

/**
 * Pure helpers for browser calls through Twilio's Voice SDK (DESIGN section 6): the access
 * token an agent's browser uses, the TwiML App voice request it triggers, and the TwiML we answer.
 */

/** Events the dialed leg reports; `answered` arrives as CallStatus=in-progress. */
const DIAL_STATUS_EVENTS: ('initiated' | 'ringing' | 'answered' | 'completed')[] = [
  'initiated',
  'ringing',
  'answered',
  'completed',
];

/** Twilio's upper bound for `<Dial timeLimit>` (4 hours). */
const MAX_DIAL_TIME_LIMIT_SECONDS = 14_400;

export interface DialTwimlOptions {
  /** The verified number the customer sees. */
  callerId: string;
  /** E.164 number to dial. */
  to: string;
  /** The wallet's affordable duration: Twilio cuts the call after it. */
  timeLimitSeconds: number;
  /** Where the dialed leg reports its progress; carries Switchboard's call id in its query string. */
  statusCallbackUrl: string;
  /**
   * Where Twilio reports the recording of the call (recordingStatusCallback); the call is recorded
   * from the answer, one channel per party, only when this is given.
   */
  recordingStatusCallbackUrl?: string;
}

/** `<Dial callerId timeLimit><Number statusCallback…>to</Number></Dial>`, escaped by the twilio library. */
export function buildDialTwiml(options: DialTwimlOptions): string {
  const timeLimit = Math.floor(options.timeLimitSeconds);
  if (!Number.isFinite(timeLimit) || timeLimit < 1) {
    throw new RangeError(
      `timeLimitSeconds must be at least 1 second, got ${options.timeLimitSeconds}`,
    );
  }
  const response = new twiml.VoiceResponse();
  const dial = response.dial({
    callerId: options.callerId,
    timeLimit: Math.min(timeLimit, MAX_DIAL_TIME_LIMIT_SECONDS),
    ...(options.recordingStatusCallbackUrl
      ? {
          record: 'record-from-answer-dual' as const,
          recordingStatusCallback: options.recordingStatusCallbackUrl,
          recordingStatusCallbackEvent: ['completed', 'absent'],
          recordingStatusCallbackMethod: 'POST' as const,
        }
      : {}),
  });
  dial.number(
    {
      statusCallback: options.statusCallbackUrl,
      statusCallbackEvent: DIAL_STATUS_EVENTS,
      statusCallbackMethod: 'POST',
    },
    options.to,
  );
  return response.toString();
}

/** Says why a browser call is refused (no balance, unknown agent…), then hangs up. */
export function buildRefusalTwiml(message: string): string {
  const response = new twiml.VoiceResponse();
  response.say(message);
  response.hangup();
  return response.toString();
}

/** A user's Twilio client identity: its uuid without dashes (Twilio allows letters, digits and `_`). */
export function twilioIdentityForUser(userId: string): string {
  return userId.replace(/-/g, '').toLowerCase();
}

/** The user id behind a client identity (dashes put back 8-4-4-4-12), or null if it is not one of ours. */
export function userIdFromTwilioIdentity(identity: string): string | null {
  const hex = identity.trim().toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return null;
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20, 32),
  ].join('-');
}

export interface VoiceRequest {
  /** The agent's (parent) leg. */
  callSid: string;
  /** The client identity from `From=client:<identity>`. */
  identity: string;
  /** Switchboard's user id behind the identity; null when the identity is not a user's. */
  userId: string | null;
  /** The number to dial: the `To` param of `device.connect`, which replaces Twilio's empty `To`. */
  to: string;
  /** Optional caller id the browser asked for (`CallerId` param). */
  callerId?: string;
  accountSid?: string;
}

/** Reads the TwiML App voice request Twilio sends when an agent's browser connects. */
export function parseVoiceRequest(body: Record<string, unknown>): VoiceRequest {
  const callSid = textField(body.CallSid);
  if (!callSid) throw new WebhookParseError('Twilio voice request has no CallSid');
  const from = textField(body.From);
  if (!from) throw new WebhookParseError('Twilio voice request has no From');
  const clientPrefix = /^client:/i;
  if (!clientPrefix.test(from)) {
    throw new WebhookParseError(
      `Twilio voice request must come from a browser client (From=client:<identity>), got From=${from}`,
    );
  }
  const identity = from.replace(clientPrefix, '').trim();
  if (!identity) throw new WebhookParseError('Twilio voice request has an empty client identity');
  const to = textField(body.To);
  if (!to) {
    throw new WebhookParseError(
      'Twilio voice request has no To: the browser must pass the number to dial as the To param of device.connect',
    );
  }
  return {
    callSid,
    identity,
    userId: userIdFromTwilioIdentity(identity),
    to,
    callerId: textField(body.CallerId),
    accountSid: textField(body.AccountSid),
  };
}

export interface VoiceAccessTokenOptions {
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
  twimlAppSid: string;
  identity: string;
  ttlSeconds: number;
}

/** Twilio's upper bound for an access token's lifetime (24 hours). */
const MAX_TOKEN_TTL_SECONDS = 86_400;

/** A Voice SDK access token: outgoing calls through the TwiML App only, no incoming calls. */
export function createVoiceAccessToken(options: VoiceAccessTokenOptions): string {
  const ttl = Math.floor(options.ttlSeconds);
  if (!Number.isFinite(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) {
    throw new RangeError(
      `ttlSeconds must be between 1 and ${MAX_TOKEN_TTL_SECONDS}, got ${options.ttlSeconds}`,
    );
  }
  const token = new jwt.AccessToken(options.accountSid, options.apiKeySid, options.apiKeySecret, {
    identity: options.identity,
    ttl,
  });
  token.addGrant(
    new jwt.AccessToken.VoiceGrant({
      outgoingApplicationSid: options.twimlAppSid,
      incomingAllow: false,
    }),
  );
  return token.toJwt();
}
