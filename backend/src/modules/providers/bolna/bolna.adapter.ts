import { Injectable } from '@nestjs/common';
import { decimalToMicros } from '../../../common/money';
import { AppConfig } from '../../../config/app-config';
import { isTerminal } from '../../calls/call-status';
import {
  CallArtifacts,
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
  headerValue,
  isRecord,
  providerFetch,
  providerHttpError,
  secretMatches,
  textField,
  trimBaseUrl,
} from '../provider-http';
import { mapProviderStatus, statusToken } from '../provider-status-map';
import {
  compactArtifacts,
  extractedDataOf,
  parseSpeakerLines,
  parseTurnObjects,
  recordingOf,
} from '../call-artifacts';

/**
 * Bolna: AI voice agent calls. Its webhook is the execution object, posted on every status
 * change; final figures (duration, cost, recording) come only with `completed`, minutes after
 * `call-disconnected`. Unsigned: the agent's webhook carries `Authorization: Bearer <secret>`.
 *
 * Not expressible per call through `POST /call`: the time limit (the agent's own maximum call
 * duration applies) and the callback URL (the webhook is configured on the agent).
 */
@Injectable()
export class BolnaAdapter implements ProviderAdapter {
  readonly name = 'bolna' as const;

  constructor(private readonly config: AppConfig) {}

  isEnabled(): boolean {
    const c = this.config;
    return Boolean(c.BOLNA_API_KEY && c.BOLNA_AGENT_ID && c.BOLNA_WEBHOOK_SECRET);
  }

  verifyWebhook(request: IncomingWebhook): boolean {
    if (!this.isEnabled()) return false;
    const match = /^Bearer\s+(.+)$/i.exec(headerValue(request.headers, 'authorization') ?? '');
    return secretMatches(match?.[1].trim(), this.config.BOLNA_WEBHOOK_SECRET);
  }

  parseWebhook(request: IncomingWebhook): NormalizedEvent {
    return parseExecution(request.body, textField(request.query.callId));
  }

  async placeCall(request: PlaceCallRequest): Promise<PlacedCall> {
    const { BOLNA_API_KEY: apiKey, BOLNA_AGENT_ID: agentId } = this.config;
    if (!this.isEnabled() || !apiKey || !(request.agentId ?? agentId)) throw notConfigured();
    const response = await providerFetch('Bolna', {
      method: 'POST',
      url: `${trimBaseUrl(this.config.BOLNA_API_BASE_URL)}/call`,
      headers: {
        Authorization: `Bearer ${apiKey}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: JSON.stringify({
        agent_id: request.agentId ?? agentId,
        recipient_phone_number: request.to,
        ...(request.from ? { from_phone_number: request.from } : {}),
        // Echoed back in context_details.recipient_data, so every webhook names our call.
        user_data: { ...request.variables, call_id: request.callId },
      }),
    });
    if (!response.ok) throw providerHttpError('Bolna', 'call', response);
    const executionId = isRecord(response.json) ? textField(response.json.execution_id) : undefined;
    if (!executionId) {
      throw new ProviderApiError(
        `Bolna API answered HTTP ${response.status} without an execution_id`,
        response.status,
      );
    }
    return { providerCallId: executionId, ...(request.from ? { from: request.from } : {}) };
  }

  /**
   * Bolna documents `POST /call/{execution_id}/stop` for queued or scheduled calls only (both
   * `initiated` here); nothing ends a call once it rings or talks.
   */
  hangupUnsupportedReason(call: HangupTarget): string | null {
    if (!this.isEnabled()) return 'Bolna is not configured on this Switchboard';
    if (call.status !== 'initiated')
      return 'Bolna has no documented API to end a call once it rings; its stop API only cancels queued or scheduled calls';
    if (!call.providerCallId) return 'Bolna has not named this call yet; try again in a moment';
    return null;
  }

  async hangUp(call: HangupTarget): Promise<void> {
    const apiKey = this.config.BOLNA_API_KEY;
    const reason = this.hangupUnsupportedReason(call);
    if (reason || !apiKey || !call.providerCallId)
      throw new ProviderApiError(reason ?? 'Bolna cannot end the call');
    const response = await providerFetch('Bolna', {
      method: 'POST',
      url: `${trimBaseUrl(this.config.BOLNA_API_BASE_URL)}/call/${encodeURIComponent(call.providerCallId)}/stop`,
      headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/json' },
    });
    if (!response.ok)
      throw providerHttpError('Bolna', `stop of execution ${call.providerCallId}`, response);
  }

  /** GET the execution: the same object the webhook posts. */
  async fetchCallState(providerCallId: string): Promise<NormalizedEvent | null> {
    const apiKey = this.config.BOLNA_API_KEY;
    if (!this.isEnabled() || !apiKey) throw notConfigured();
    const response = await providerFetch('Bolna', {
      method: 'GET',
      url: `${trimBaseUrl(this.config.BOLNA_API_BASE_URL)}/executions/${encodeURIComponent(providerCallId)}`,
      headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/json' },
    });
    if (response.status === 404) return null;
    if (!response.ok)
      throw providerHttpError('Bolna', `fetch of execution ${providerCallId}`, response);
    if (!isRecord(response.json)) {
      throw new ProviderApiError(
        `Bolna API answered execution ${providerCallId} without a JSON object`,
      );
    }
    try {
      return parseExecution(response.json);
    } catch (error) {
      if (error instanceof WebhookParseError) {
        throw new ProviderApiError(`Bolna API answered an unreadable execution: ${error.message}`);
      }
      throw error;
    }
  }
}

function notConfigured(): ProviderApiError {
  return new ProviderApiError(
    'Bolna is not configured: set BOLNA_API_KEY, BOLNA_AGENT_ID and BOLNA_WEBHOOK_SECRET',
  );
}

/** Reads a Bolna execution object (webhook body or GET /executions/{id}). */
export function parseExecution(
  body: Record<string, unknown>,
  callIdFromUrl?: string,
): NormalizedEvent {
  const id = textField(body.id);
  if (!id) throw new WebhookParseError('Bolna execution has no id');
  const rawStatus = textField(body.status);
  if (!rawStatus) throw new WebhookParseError(`Bolna execution ${id} has no status`);
  const status = mapProviderStatus('bolna', rawStatus);
  const telephony = isRecord(body.telephony_data) ? body.telephony_data : {};

  const facts: CallFacts = {};
  // Only `completed` carries final figures; at `call-disconnected` they are empty or not final.
  if (statusToken(rawStatus) === 'completed') {
    const duration = billableSeconds(
      telephony.duration,
      body.conversation_duration ?? body.conversation_time,
    );
    if (duration !== undefined) facts.durationSeconds = duration;
    const cost = centsToMicros(body.total_cost);
    if (cost !== undefined) {
      facts.providerCostMicros = cost;
      facts.providerCurrency = 'USD';
    }
    const recordingUrl = textField(telephony.recording_url) ?? textField(body.recording_url);
    if (recordingUrl) facts.recordingUrl = recordingUrl;
    const reason = textField(telephony.hangup_reason);
    if (reason) facts.hangupReason = reason;
  } else if (status === 'failed') {
    // failed / error / balance-low all map to failed: the raw status is the reason.
    const message = textField(body.error_message);
    facts.hangupReason = message && message !== rawStatus ? `${rawStatus}: ${message}` : rawStatus;
  } else if (status && isTerminal(status) && status !== 'completed') {
    facts.hangupReason = textField(telephony.hangup_reason) ?? rawStatus;
  }

  // Final: `completed` (post-processing done) or an ending without conversation. Not
  // `call-disconnected`, whose transcript may be partial and whose figures are empty.
  const final =
    status !== null && isTerminal(status) && statusToken(rawStatus) !== 'call_disconnected';
  const artifacts = final ? executionArtifacts(body, telephony) : undefined;

  const context = isRecord(body.context_details) ? body.context_details : {};
  const recipient = isRecord(context.recipient_data) ? context.recipient_data : {};
  const userData = isRecord(body.user_data) ? body.user_data : {};
  return {
    dedupeKey: `${id}:${rawStatus}`,
    providerCallId: id,
    callId: textField(recipient.call_id) ?? textField(userData.call_id) ?? callIdFromUrl,
    rawStatus,
    status,
    occurredAt: parseNaiveUtc(body.updated_at) ?? new Date(),
    facts,
    ...(artifacts ? { artifacts } : {}),
    ...(final ? { final } : {}),
  };
}

/**
 * The execution's outcome: the transcript (one `assistant: …\nuser: …` string, or turn objects),
 * `summary`, `extracted_data`, `telephony_data.recording_url` and `hangup_by`.
 */
function executionArtifacts(
  body: Record<string, unknown>,
  telephony: Record<string, unknown>,
): CallArtifacts | undefined {
  const transcript =
    typeof body.transcript === 'string'
      ? parseSpeakerLines(body.transcript)
      : parseTurnObjects(body.transcript);
  const duration = Number(textField(telephony.duration) ?? body.conversation_duration);
  return compactArtifacts({
    recording: recordingOf(telephony.recording_url ?? body.recording_url, {
      ...(Number.isFinite(duration) && duration > 0 ? { durationSeconds: duration } : {}),
    }),
    transcript,
    summary: textField(body.summary),
    extractedData: extractedDataOf(body.extracted_data),
    hangupBy: textField(telephony.hangup_by),
  });
}

/**
 * Seconds to bill: the carrier's duration (a string such as "95" or "0.0") when it is positive,
 * otherwise the conversation duration; both rounded up to whole seconds.
 */
function billableSeconds(telephonyDuration: unknown, conversation: unknown): number | undefined {
  const carrier = decimalSeconds(telephonyDuration, 'telephony_data.duration');
  if (carrier !== undefined && carrier > 0) return Math.ceil(carrier);
  const talk = decimalSeconds(conversation, 'conversation_duration');
  if (talk !== undefined) return Math.ceil(talk);
  return carrier !== undefined ? 0 : undefined;
}

function decimalSeconds(value: unknown, field: string): number | undefined {
  const text = textField(value);
  if (text === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(text)) {
    throw new WebhookParseError(`Bolna ${field} must be a number of seconds, got "${text}"`);
  }
  return Number(text);
}

/** total_cost is in cents, a JSON float such as 18.76: converted exactly, never through float math. */
function centsToMicros(value: unknown): bigint | undefined {
  const text = textField(value);
  if (text === undefined) return undefined;
  try {
    return decimalToMicros(typeof value === 'number' ? value : text, 2);
  } catch {
    throw new WebhookParseError(`Bolna total_cost must be a number of cents, got "${text}"`);
  }
}

/** Bolna timestamps are naive ISO strings in UTC, often with microseconds. */
function parseNaiveUtc(value: unknown): Date | undefined {
  const text = textField(value);
  if (!text) return undefined;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
  const time = Date.parse(zoned);
  return Number.isNaN(time) ? undefined : new Date(time);
}
