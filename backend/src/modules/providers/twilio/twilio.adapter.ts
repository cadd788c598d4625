import { Injectable } from '@nestjs/common';
import { Twilio, validateRequest } from 'twilio';
import { decimalToMicros } from '../../../common/money';
import { AppConfig } from '../../../config/app-config';
import { isTerminal } from '../../calls/call-status';
import {
  CallFacts,
  HangupTarget,
  IncomingWebhook,
  NormalizedEvent,
  PlaceCallRequest,
  PlacedCall,
  ProviderAdapter,
  ProviderApiError,
  WebhookParseError,
} from '../provider-adapter';
import {
  PROVIDER_HTTP_TIMEOUT_MS,
  basicAuthorization,
  headerValue,
  isRecord,
  providerFetch,
  providerHttpError,
  textField,
  trimBaseUrl,
} from '../provider-http';
import { mapProviderStatus } from '../provider-status-map';
import { compactArtifacts, recordingOf } from '../call-artifacts';

/** The recording format fetched: Twilio serves WAV at the bare RecordingUrl and MP3 at `.mp3`. */
const TWILIO_RECORDING_EXTENSION = '.mp3';

/**
 * Twilio: browser calls placed by the Voice SDK. The dialed leg's status callbacks are
 * signed (X-Twilio-Signature over the configured public URL and the form params).
 */
@Injectable()
export class TwilioAdapter implements ProviderAdapter {
  readonly name = 'twilio' as const;

  constructor(private readonly config: AppConfig) {}

  isEnabled(): boolean {
    return Boolean(this.config.TWILIO_ACCOUNT_SID && this.config.TWILIO_AUTH_TOKEN);
  }

  verifyWebhook(request: IncomingWebhook): boolean {
    const authToken = this.config.TWILIO_AUTH_TOKEN;
    if (!this.isEnabled() || !authToken) return false;
    const signature = headerValue(request.headers, 'x-twilio-signature');
    if (!signature) return false;
    // The URL Twilio signed is the one we gave it: the configured public base URL plus the path and
    // query as requested. Never rebuild it from Host / X-Forwarded-* headers, which a caller controls.
    const url = trimBaseUrl(this.config.PUBLIC_BASE_URL) + request.url;
    try {
      return validateRequest(authToken, signature, url, request.body);
    } catch {
      return false; // e.g. a URL the library cannot parse
    }
  }

  parseWebhook(request: IncomingWebhook): NormalizedEvent {
    const body = request.body;
    // recordingStatusCallback: RecordingSid/RecordingStatus and no CallStatus.
    if (textField(body.RecordingStatus) && !textField(body.CallStatus))
      return parseRecordingCallback(request);
    const callSid = textField(body.CallSid);
    if (!callSid) throw new WebhookParseError('Twilio status callback has no CallSid');
    const rawStatus = textField(body.CallStatus);
    if (!rawStatus) {
      throw new WebhookParseError(`Twilio status callback for ${callSid} has no CallStatus`);
    }
    const sequence = parseSequence(body.SequenceNumber);
    const status = mapProviderStatus('twilio', rawStatus);

    const facts: CallFacts = {};
    // CallDuration is seconds; `Duration` is minutes rounded up and must never be billed from.
    const duration = parseSeconds(body.CallDuration, 'CallDuration');
    if (duration !== undefined) facts.durationSeconds = duration;
    const recordingUrl = textField(body.RecordingUrl);
    if (recordingUrl) facts.recordingUrl = recordingUrl;
    if (status && isTerminal(status) && status !== 'completed') {
      facts.hangupReason = describeHangup(rawStatus, body);
    }

    return {
      dedupeKey: `${callSid}:${rawStatus}:${sequence ?? ''}`,
      providerCallId: callSid,
      callId: textField(request.query.callId),
      parentProviderCallId: textField(body.ParentCallSid),
      rawStatus,
      status,
      sequence,
      occurredAt: parseRfc2822(body.Timestamp) ?? new Date(),
      facts,
      // An ending without conversation has no recording to wait for: Twilio's last word.
      ...(status && isTerminal(status) && status !== 'completed' ? { final: true } : {}),
    };
  }

  placeCall(_request: PlaceCallRequest): Promise<PlacedCall> {
    return Promise.reject(
      new ProviderApiError('Twilio calls are placed from the browser through the Voice SDK'),
    );
  }

  hangupUnsupportedReason(call: HangupTarget): string | null {
    if (!this.isEnabled()) return 'Twilio is not configured on this Switchboard';
    if (!call.providerCallId && !call.parentProviderCallId)
      return 'Twilio has not named this call yet; try again in a moment';
    return null;
  }

  /**
   * Updates the Call resource (POST …/Calls/{Sid}.json): `completed` ends an answered call,
   * `canceled` one still queued or ringing. The dialed (child) leg is ended, so the agent's
   * browser leg ends with it; before Twilio named the child leg, the agent's leg is ended instead.
   */
  async hangUp(call: HangupTarget): Promise<void> {
    const { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken } = this.config;
    const sid = call.providerCallId ?? call.parentProviderCallId;
    if (!accountSid || !authToken || !sid) {
      throw new ProviderApiError(
        this.hangupUnsupportedReason(call) ?? 'Twilio cannot end the call',
      );
    }
    // The agent's own leg is always answered once it dialed; only the child leg can still ring.
    const answered = !call.providerCallId || call.status === 'in_progress';
    const client = new Twilio(accountSid, authToken, {
      timeout: PROVIDER_HTTP_TIMEOUT_MS,
      autoRetry: false,
    });
    // Twilio's own client, pointed at TWILIO_API_BASE_URL (https://api.twilio.com, or a stub).
    client.api.baseUrl = trimBaseUrl(this.config.TWILIO_API_BASE_URL);
    try {
      await client.calls(sid).update({ status: answered ? 'completed' : 'canceled' });
    } catch (error) {
      const { status, message } = (error ?? {}) as { status?: unknown; message?: unknown };
      const reason = typeof message === 'string' && message ? message : String(error);
      throw new ProviderApiError(
        typeof status === 'number'
          ? `Twilio API hang-up of call ${sid} failed with HTTP ${status}: ${reason}`
          : `Twilio API could not be reached for the hang-up of call ${sid}: ${reason}`,
        typeof status === 'number' ? status : undefined,
      );
    }
  }

  /**
   * A recording callback that never came (reconciliation, once the call's deadline passed): the
   * Recording resources of the call Twilio recorded (a `<Dial record>` records the parent leg),
   * `GET /2010-04-01/Accounts/{Sid}/Calls/{CallSid}/Recordings.json`. The newest that is
   * completed, absent or failed becomes the event its callback would have been (same dedupe
   * key); none, or one still processing: null (asked again at the next run).
   */
  async fetchCallOutcome(call: {
    providerCallId: string;
    parentProviderCallId: string | null;
  }): Promise<NormalizedEvent | null> {
    const { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken } = this.config;
    if (!accountSid || !authToken) {
      throw new ProviderApiError(
        'Twilio is not configured: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN',
      );
    }
    const recorded = call.parentProviderCallId ?? call.providerCallId;
    const base = trimBaseUrl(this.config.TWILIO_API_BASE_URL);
    const account = `${base}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}`;
    const response = await providerFetch('Twilio', {
      method: 'GET',
      url: `${account}/Calls/${encodeURIComponent(recorded)}/Recordings.json?PageSize=20`,
      headers: {
        Authorization: basicAuthorization(accountSid, authToken),
        Accept: 'application/json',
      },
    });
    if (response.status === 404) return null;
    if (!response.ok)
      throw providerHttpError('Twilio', `list of the recordings of call ${recorded}`, response);
    const list = isRecord(response.json) ? response.json.recordings : undefined;
    if (!Array.isArray(list)) {
      throw new ProviderApiError(
        `Twilio API answered the recordings of ${recorded} without a list`,
      );
    }
    // Newest first (Twilio lists by DateCreated descending): a call's last recording.
    const settled = list
      .filter(isRecord)
      .find((r) => ['completed', 'absent', 'failed'].includes(textField(r.status) ?? ''));
    const recordingSid = settled && textField(settled.sid);
    if (!settled || !recordingSid) return null;
    return recordingEvent({
      callSid: textField(settled.call_sid) ?? recorded,
      recordingSid,
      status: textField(settled.status)!,
      // The media URL is the resource's own, at the configured API host.
      url: `${account}/Recordings/${encodeURIComponent(recordingSid)}`,
      durationSeconds: safeSeconds(settled.duration),
      errorCode: textField(settled.error_code),
      startedAt: parseRfc2822(settled.start_time),
    });
  }

  /** GET the Call resource; Twilio answers 404 for a sid it does not know. */
  async fetchCallState(providerCallId: string): Promise<NormalizedEvent | null> {
    const { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken } = this.config;
    if (!accountSid || !authToken) {
      throw new ProviderApiError(
        'Twilio is not configured: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN',
      );
    }
    const url =
      `${trimBaseUrl(this.config.TWILIO_API_BASE_URL)}/2010-04-01/Accounts/` +
      `${encodeURIComponent(accountSid)}/Calls/${encodeURIComponent(providerCallId)}.json`;
    const response = await providerFetch('Twilio', {
      method: 'GET',
      url,
      headers: {
        Authorization: basicAuthorization(accountSid, authToken),
        Accept: 'application/json',
      },
    });
    if (response.status === 404) return null;
    if (!response.ok)
      throw providerHttpError('Twilio', `fetch of call ${providerCallId}`, response);
    const call = response.json;
    const rawStatus = isRecord(call) ? textField(call.status) : undefined;
    if (!isRecord(call) || !rawStatus) {
      throw new ProviderApiError(`Twilio API answered a call ${providerCallId} without a status`);
    }
    const status = mapProviderStatus('twilio', rawStatus);
    const facts: CallFacts = {};
    const duration = safeSeconds(call.duration);
    if (duration !== undefined && status && isTerminal(status)) facts.durationSeconds = duration;
    // Twilio reports what it charged as a negative decimal string, set some time after the call.
    const price = textField(call.price);
    if (price && /^-?\d+(\.\d+)?$/.test(price)) {
      const micros = decimalToMicros(price);
      facts.providerCostMicros = micros < 0n ? -micros : micros;
      facts.providerCurrency = (textField(call.price_unit) ?? 'USD').toUpperCase();
    }
    if (status && isTerminal(status) && status !== 'completed') facts.hangupReason = rawStatus;
    const sid = textField(call.sid) ?? providerCallId;
    return {
      // A later fetch that learns the price is a new event, so it can still enrich the call.
      dedupeKey: `reconcile:${sid}:${rawStatus}${facts.providerCostMicros !== undefined ? `:${price}` : ''}`,
      providerCallId: sid,
      parentProviderCallId: textField(call.parent_call_sid),
      rawStatus,
      status,
      occurredAt: parseRfc2822(call.date_updated) ?? new Date(),
      facts,
    };
  }
}

function parseSequence(value: unknown): number | undefined {
  const text = textField(value);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) {
    throw new WebhookParseError(`Twilio SequenceNumber must be a whole number, got "${text}"`);
  }
  return Number(text);
}

function parseSeconds(value: unknown, field: string): number | undefined {
  const text = textField(value);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) {
    throw new WebhookParseError(`Twilio ${field} must be a whole number of seconds, got "${text}"`);
  }
  return Number(text);
}

/** Like parseSeconds for API answers, where a malformed value is ignored rather than refused. */
function safeSeconds(value: unknown): number | undefined {
  const text = textField(value);
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** Twilio times are RFC 2822 in UTC (`Tue, 14 Oct 2025 09:30:05 +0000`). */
function parseRfc2822(value: unknown): Date | undefined {
  const text = textField(value);
  if (!text) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** `busy (SIP 486)`: the raw status, with the SIP code and Twilio error when the callback has them. */
function describeHangup(rawStatus: string, body: Record<string, unknown>): string {
  const details = [
    textField(body.SipResponseCode) && `SIP ${textField(body.SipResponseCode)}`,
    textField(body.ErrorCode) && `error ${textField(body.ErrorCode)}`,
    textField(body.ErrorMessage),
  ].filter(Boolean);
  return details.length ? `${rawStatus} (${details.join(', ')})` : rawStatus;
}

/**
 * A `<Dial record>` recordingStatusCallback: AccountSid, CallSid (the call the recording belongs
 * to: the parent leg of a `<Dial>`), RecordingSid, RecordingUrl (no extension), RecordingStatus
 * (in-progress, completed, absent, failed), RecordingDuration (seconds), RecordingChannels,
 * RecordingStartTime, RecordingSource, ErrorCode. Completed, absent and failed are final: Twilio
 * says nothing more about the call's recording.
 */
function parseRecordingCallback(request: IncomingWebhook): NormalizedEvent {
  const body = request.body;
  const callSid = textField(body.CallSid);
  if (!callSid) throw new WebhookParseError('Twilio recording callback has no CallSid');
  const recordingSid = textField(body.RecordingSid);
  if (!recordingSid) {
    throw new WebhookParseError(`Twilio recording callback for ${callSid} has no RecordingSid`);
  }
  return recordingEvent({
    callSid,
    callId: textField(request.query.callId),
    recordingSid,
    status: textField(body.RecordingStatus)!.toLowerCase(),
    url: textField(body.RecordingUrl),
    durationSeconds: parseSeconds(body.RecordingDuration, 'RecordingDuration'),
    errorCode: textField(body.ErrorCode),
    startedAt: parseRfc2822(body.RecordingStartTime),
  });
}

/**
 * A recording's news as one event, whether Twilio called back or reconciliation read its
 * Recording resource: the same dedupe key either way, so a callback arriving after the fetch (or
 * before it) is stored once.
 */
function recordingEvent(recording: {
  callSid: string;
  callId?: string;
  recordingSid: string;
  status: string;
  /** The recording's URL without an extension (as RecordingUrl) or with one. */
  url: string | undefined;
  durationSeconds: number | undefined;
  errorCode: string | undefined;
  startedAt: Date | undefined;
}): NormalizedEvent {
  const { callSid, recordingSid, status: recordingStatus, durationSeconds: duration } = recording;
  const artifacts =
    recordingStatus === 'completed'
      ? compactArtifacts({
          recording: recordingOf(
            recording.url?.replace(/\.(mp3|wav|json)$/i, '') + TWILIO_RECORDING_EXTENSION,
            {
              contentType: 'audio/mpeg',
              ...(duration !== undefined ? { durationSeconds: duration } : {}),
              providerRecordingId: recordingSid,
            },
          ),
        })
      : recordingStatus === 'absent' || recordingStatus === 'failed'
        ? compactArtifacts({
            recordingUnavailable: `Twilio recording ${recordingSid} ${recordingStatus}${
              recording.errorCode && recording.errorCode !== '0'
                ? ` (error ${recording.errorCode})`
                : ''
            }`,
          })
        : undefined;
  if (recordingStatus === 'completed' && !artifacts?.recording) {
    throw new WebhookParseError(
      `Twilio recording ${recordingSid} completed without a RecordingUrl`,
    );
  }
  return {
    dedupeKey: `recording:${recordingSid}:${recordingStatus}`,
    providerCallId: callSid,
    callId: recording.callId,
    // Found by our call id, or as the parent leg of the dialed call it recorded.
    parentProviderCallId: callSid,
    rawStatus: `recording-${recordingStatus}`,
    status: null,
    occurredAt: recording.startedAt ?? new Date(),
    facts: {},
    ...(artifacts ? { artifacts } : {}),
    ...(['completed', 'absent', 'failed'].includes(recordingStatus) ? { final: true } : {}),
    recordingOnly: true,
  };
}
