import { Injectable } from '@nestjs/common';
import { decimalToMicros } from '../../../common/money';
import { AppConfig } from '../../../config/app-config';
import { CallStatus, isTerminal } from '../../calls/call-status';
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
  basicAuthorization,
  isRecord,
  providerFetch,
  providerHttpError,
  secretMatches,
  textField,
  trimBaseUrl,
} from '../provider-http';
import { mapProviderStatus, statusToken } from '../provider-status-map';
import { compactArtifacts, recordingOf } from '../call-artifacts';

const EXOTEL_NO_HANGUP =
  'Exotel has no documented API to end a call placed with Calls/connect; it ends when a party hangs up or at its time limit';
const DEFAULT_EXOTEL_API_BASE_URL = 'https://api.exotel.com';
/** The Connect API's upper bound for TimeLimit (4 hours). */
const MAX_TIME_LIMIT_SECONDS = 14_400;

/** One leg of an Exotel "connect two numbers" call: 0 = From (the agent), 1 = To (the customer). */
interface ExotelLeg {
  /** null when the leg was not attempted (JSON null, or an empty form value). */
  status: string | null;
}

/** Connect calls have two legs; indexes beyond this are ignored rather than allocated. */
const MAX_LEGS = 8;

const LEG_NAMES = ['agent', 'customer'];

/**
 * Exotel: server-placed calls through "connect two numbers" (the agent's phone first, then the
 * customer). Callbacks are not signed: their URL carries `?token=<EXOTEL_WEBHOOK_TOKEN>`.
 *
 * API host: EXOTEL_API_BASE_URL when it is set to something other than its default
 * (tests point it at a stub); otherwise `https://<EXOTEL_SUBDOMAIN>` when EXOTEL_SUBDOMAIN is set
 * (e.g. `api.in.exotel.com` for the Mumbai cluster); otherwise `https://api.exotel.com`. So
 * EXOTEL_SUBDOMAIN is optional and not required to enable the provider.
 */
@Injectable()
export class ExotelAdapter implements ProviderAdapter {
  readonly name = 'exotel' as const;

  constructor(private readonly config: AppConfig) {}

  isEnabled(): boolean {
    const c = this.config;
    return Boolean(
      c.EXOTEL_ACCOUNT_SID &&
      c.EXOTEL_API_KEY &&
      c.EXOTEL_API_TOKEN &&
      c.EXOTEL_CALLER_ID &&
      c.EXOTEL_WEBHOOK_TOKEN,
    );
  }

  verifyWebhook(request: IncomingWebhook): boolean {
    if (!this.isEnabled()) return false;
    return secretMatches(request.query.token, this.config.EXOTEL_WEBHOOK_TOKEN);
  }

  parseWebhook(request: IncomingWebhook): NormalizedEvent {
    const body = request.body;
    const callSid = textField(body.CallSid);
    if (!callSid) throw new WebhookParseError('Exotel status callback has no CallSid');
    const eventType = textField(body.EventType);
    const sentStatus = textField(body.Status);
    const legs = readLegs(body);
    const terminalEvent = eventType === undefined || statusToken(eventType) === 'terminal';

    // A terminal callback without Status still says, leg by leg, how the call ended.
    const rawStatus =
      sentStatus ??
      (terminalEvent ? statusFromLegs(legs) : undefined) ??
      (eventType && statusToken(eventType) === 'answered' ? 'in-progress' : undefined);
    if (!rawStatus) {
      throw new WebhookParseError(
        `Exotel status callback for ${callSid} has no Status and no leg status to derive one from`,
      );
    }

    let status = mapProviderStatus('exotel', rawStatus);
    if (status === 'in_progress' && agentOnlyAnswered(legs)) {
      // The first `answered` event: the agent (From) picked up, the customer is being dialed.
      status = mapProviderStatus('exotel', 'ringing');
    }

    const facts: CallFacts = {};
    const recordingUrl = textField(body.RecordingUrl);
    if (recordingUrl) facts.recordingUrl = recordingUrl;
    const ended = status !== null && isTerminal(status);
    if (ended) {
      const duration = wholeSeconds(body.ConversationDuration);
      if (duration === null) {
        throw new WebhookParseError(
          `Exotel ConversationDuration must be a number of seconds, got "${String(body.ConversationDuration)}"`,
        );
      }
      if (duration !== undefined) facts.durationSeconds = duration;
      if (status !== 'completed') facts.hangupReason = describeHangup(rawStatus, legs);
    }

    const legKey = legs.map((leg) => leg.status ?? '').join(',');
    return {
      dedupeKey: `${callSid}:${eventType ?? ''}:${sentStatus ?? ''}:${legKey}`,
      providerCallId: callSid,
      // CustomField comes back on the terminal event only; our URL may also carry the id.
      callId: textField(body.CustomField) ?? textField(request.query.callId),
      rawStatus,
      status,
      occurredAt: this.parseLocalTime(body.DateUpdated) ?? new Date(),
      facts,
      ...this.outcome(body.RecordingUrl, facts.durationSeconds, ended),
    };
  }

  /**
   * The recording (a presigned link that expires: the worker copies it at once) and finality: the
   * terminal callback is Exotel's last word on the call (its price, from the Call Details API, is
   * not what Switchboard bills).
   */
  private outcome(
    recordingUrl: unknown,
    durationSeconds: number | undefined,
    ended: boolean,
  ): Pick<NormalizedEvent, 'artifacts' | 'final'> {
    const artifacts = compactArtifacts({
      recording: recordingOf(recordingUrl, {
        ...(durationSeconds ? { durationSeconds } : {}),
      }),
    });
    return { ...(artifacts ? { artifacts } : {}), ...(ended ? { final: true } : {}) };
  }

  async placeCall(request: PlaceCallRequest): Promise<PlacedCall> {
    const { sid, apiKey, apiToken, callerId } = this.credentials();
    if (!request.from) {
      throw new ProviderApiError(
        "Exotel calls the agent's phone first: the call needs the agent's phone number (from)",
      );
    }
    const form = new URLSearchParams();
    form.set('From', request.from);
    form.set('To', request.to);
    form.set('CallerId', callerId);
    const timeLimit = Math.min(MAX_TIME_LIMIT_SECONDS, Math.floor(request.timeLimitSeconds));
    form.set('TimeLimit', String(Math.max(1, timeLimit)));
    form.set('StatusCallback', request.statusCallbackUrl);
    form.set('StatusCallbackEvents[0]', 'terminal');
    form.set('StatusCallbackEvents[1]', 'answered');
    form.set('StatusCallbackContentType', 'application/json');
    form.set('CustomField', request.callId);
    form.set('Record', 'true');

    const response = await providerFetch('Exotel', {
      method: 'POST',
      url: `${this.accountUrl(sid)}/Calls/connect.json`,
      headers: {
        Authorization: basicAuthorization(apiKey, apiToken),
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: form.toString(),
    });
    if (!response.ok) throw providerHttpError('Exotel', 'connect call', response);
    const call = isRecord(response.json) ? response.json.Call : undefined;
    const providerCallId = isRecord(call) ? textField(call.Sid) : undefined;
    if (!providerCallId) {
      throw new ProviderApiError(
        `Exotel API answered HTTP ${response.status} without Call.Sid`,
        response.status,
      );
    }
    return { providerCallId, from: callerId };
  }

  /**
   * Call Details API. `details=true` adds the legs and ConversationDuration, the customer's talk
   * time that the terminal callback reports too; `Duration` counts from the agent leg's start.
   */
  async fetchCallState(providerCallId: string): Promise<NormalizedEvent | null> {
    const { sid, apiKey, apiToken } = this.credentials();
    const response = await providerFetch('Exotel', {
      method: 'GET',
      url: `${this.accountUrl(sid)}/Calls/${encodeURIComponent(providerCallId)}.json?details=true`,
      headers: { Authorization: basicAuthorization(apiKey, apiToken), Accept: 'application/json' },
    });
    if (response.status === 404) return null;
    if (!response.ok)
      throw providerHttpError('Exotel', `call details of ${providerCallId}`, response);
    const call = isRecord(response.json) ? response.json.Call : undefined;
    const rawStatus = isRecord(call) ? textField(call.Status) : undefined;
    if (!isRecord(call) || !rawStatus) {
      throw new ProviderApiError(`Exotel API answered call ${providerCallId} without Call.Status`);
    }
    const status = mapProviderStatus('exotel', rawStatus);
    const facts: CallFacts = {};
    if (status && isTerminal(status)) {
      const details = isRecord(call.Details) ? call.Details : {};
      // Only the customer's talk time bills; `Duration` starts with the agent's leg and would overcharge.
      const duration = wholeSeconds(details.ConversationDuration) ?? undefined;
      if (duration !== undefined) facts.durationSeconds = duration;
      if (status !== 'completed') facts.hangupReason = rawStatus;
    }
    const price = textField(call.Price);
    if (price && /^-?\d+(\.\d+)?$/.test(price)) {
      const micros = decimalToMicros(price);
      facts.providerCostMicros = micros < 0n ? -micros : micros;
      facts.providerCurrency = 'INR';
    }
    const recordingUrl = textField(call.RecordingUrl);
    if (recordingUrl) facts.recordingUrl = recordingUrl;
    const sidFromApi = textField(call.Sid) ?? providerCallId;
    return {
      // Exotel sets the price minutes after the call: a fetch that learns it is a new event.
      dedupeKey: `reconcile:${sidFromApi}:${rawStatus}${facts.providerCostMicros !== undefined ? `:${price}` : ''}`,
      providerCallId: sidFromApi,
      callId: textField(call.CustomField),
      rawStatus,
      status,
      occurredAt: this.parseLocalTime(call.DateUpdated) ?? new Date(),
      facts,
      ...this.outcome(
        call.RecordingUrl,
        facts.durationSeconds,
        status !== null && isTerminal(status),
      ),
    };
  }

  /**
   * The v1 API that places these calls (Calls/connect) documents no way to end a live call: the
   * Legs API's hangup action ends legs of its own CPaaS calls, which have leg ids, not CallSids.
   */
  hangupUnsupportedReason(_call: HangupTarget): string | null {
    return EXOTEL_NO_HANGUP;
  }

  hangUp(_call: HangupTarget): Promise<void> {
    return Promise.reject(new ProviderApiError(EXOTEL_NO_HANGUP));
  }

  private credentials(): { sid: string; apiKey: string; apiToken: string; callerId: string } {
    const c = this.config;
    if (!this.isEnabled() || !c.EXOTEL_ACCOUNT_SID || !c.EXOTEL_API_KEY) {
      throw new ProviderApiError(
        'Exotel is not configured: set EXOTEL_ACCOUNT_SID, EXOTEL_API_KEY, EXOTEL_API_TOKEN, EXOTEL_CALLER_ID and EXOTEL_WEBHOOK_TOKEN',
      );
    }
    return {
      sid: c.EXOTEL_ACCOUNT_SID,
      apiKey: c.EXOTEL_API_KEY,
      apiToken: c.EXOTEL_API_TOKEN ?? '',
      callerId: c.EXOTEL_CALLER_ID ?? '',
    };
  }

  private accountUrl(sid: string): string {
    return `${this.apiBaseUrl()}/v1/Accounts/${encodeURIComponent(sid)}`;
  }

  private apiBaseUrl(): string {
    const base = trimBaseUrl(this.config.EXOTEL_API_BASE_URL);
    const subdomain = this.config.EXOTEL_SUBDOMAIN?.trim()
      .replace(/^@/, '')
      .replace(/^https?:\/\//, '')
      .replace(/\/+$/, '');
    if (base === DEFAULT_EXOTEL_API_BASE_URL && subdomain) return `https://${subdomain}`;
    return base;
  }

  /** Exotel times are account-local `YYYY-MM-DD HH:mm:ss` without a zone: apply EXOTEL_UTC_OFFSET. */
  private parseLocalTime(value: unknown): Date | undefined {
    const text = textField(value);
    const match = text && /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(text);
    if (!match) return undefined;
    const time = Date.parse(`${match[1]}T${match[2]}${this.config.EXOTEL_UTC_OFFSET}`);
    return Number.isNaN(time) ? undefined : new Date(time);
  }
}

/**
 * Leg statuses from either body shape: JSON (`Legs: [{ Status, OnCallDuration }]`, null for a leg
 * not attempted) or form data flattened to `Legs[0][Status]` keys with '' for null. A form parser
 * that nests brackets (`Legs: { '0': {…} }`) is accepted too.
 */
function readLegs(body: Record<string, unknown>): ExotelLeg[] {
  const statuses: unknown[] = [];
  const nested = body.Legs;
  if (Array.isArray(nested) || isRecord(nested)) {
    for (const [index, leg] of Object.entries(nested)) {
      if (/^\d+$/.test(index) && Number(index) < MAX_LEGS) {
        statuses[Number(index)] = isRecord(leg) ? leg.Status : undefined;
      }
    }
  } else {
    for (const [key, value] of Object.entries(body)) {
      const match = /^Legs\[(\d+)\]\[Status\]$/.exec(key);
      if (match && Number(match[1]) < MAX_LEGS) statuses[Number(match[1])] = value;
    }
  }
  return Array.from(statuses, (status) => {
    const text = textField(status);
    return { status: text && text.toLowerCase() !== 'null' ? text : null };
  });
}

/** The agent leg is live but the customer leg is not (empty/null, still dialing): no customer yet. */
function agentOnlyAnswered(legs: ExotelLeg[]): boolean {
  if (legs.length === 0) return false;
  const [agent, customer] = legs;
  return isLive(agent.status) && !isLive(customer?.status ?? null);
}

function isLive(status: string | null): boolean {
  return status !== null && mapProviderStatus('exotel', status) === 'in_progress';
}

/**
 * The overall outcome from leg statuses: the first leg that did not complete says why the call
 * ended (agent failed → failed, customer busy → busy…); every attempted leg completed → completed.
 */
function statusFromLegs(legs: ExotelLeg[]): string | undefined {
  const attempted = legs.filter((leg) => leg.status !== null);
  if (attempted.length === 0) return undefined;
  const unsuccessful = attempted.find((leg) => {
    const mapped: CallStatus | null = mapProviderStatus('exotel', leg.status);
    return mapped !== 'completed';
  });
  if (unsuccessful) return unsuccessful.status ?? undefined;
  // Both legs completed is a conversation; only the agent leg completed means nobody was bridged.
  return legs.length > 1 && legs[1].status === null ? 'failed' : 'completed';
}

/** `busy (agent leg completed, customer leg busy)`. */
function describeHangup(rawStatus: string, legs: ExotelLeg[]): string {
  if (legs.length === 0) return rawStatus;
  const parts = legs.map(
    (leg, index) =>
      `${LEG_NAMES[index] ?? `leg ${index + 1}`} leg ${leg.status ?? 'not attempted'}`,
  );
  return `${rawStatus} (${parts.join(', ')})`;
}

/**
 * Whole seconds from a JSON number or a form string; undefined when absent, null when malformed.
 * Exotel sends integers; a fraction is rounded up, as a started second is a billed one.
 */
function wholeSeconds(value: unknown): number | null | undefined {
  const text = textField(value);
  if (text === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(text)) return null;
  return Math.ceil(Number(text));
}
