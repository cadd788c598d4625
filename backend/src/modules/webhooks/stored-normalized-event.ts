import { CALL_STATUSES, CallStatus } from '../calls/call-status';
import {
  CallArtifacts,
  CallFacts,
  NormalizedEvent,
  WebhookParseError,
} from '../providers/provider-adapter';
import {
  compactArtifacts,
  extractedDataOf,
  parseTurnObjects,
  recordingOf,
} from '../providers/call-artifacts';

/**
 * A normalized event as Switchboard stores it (reconciliation's answers, calls never placed): JSON,
 * with the one bigint (the provider's cost) as a decimal string and the date as ISO 8601.
 */
export function serializeNormalizedEvent(event: NormalizedEvent): string {
  const { providerCostMicros, ...facts } = event.facts;
  return JSON.stringify({
    ...event,
    occurredAt: event.occurredAt.toISOString(),
    facts:
      providerCostMicros === undefined
        ? facts
        : { ...facts, providerCostMicros: providerCostMicros.toString() },
  });
}

/**
 * The event `serializeNormalizedEvent` stored, read field by field: a string stays a string
 * whatever it looks like. Anything else is refused (WebhookParseError: it can never be processed).
 * Events stored before this format wrote the cost as `123n`; that field alone still accepts it.
 */
export function deserializeNormalizedEvent(raw: string): NormalizedEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new WebhookParseError('the stored event is not JSON');
  }
  const event = record(parsed, 'the stored event');
  const facts = record(event.facts ?? {}, 'facts');
  const occurredAt = new Date(text(event.occurredAt, 'occurredAt'));
  if (Number.isNaN(occurredAt.getTime())) throw new WebhookParseError('occurredAt is not a date');
  const status = event.status ?? null;
  if (status !== null && !(CALL_STATUSES as readonly unknown[]).includes(status))
    throw new WebhookParseError(`status ${JSON.stringify(status)} is not a call status`);
  const result: NormalizedEvent = {
    dedupeKey: text(event.dedupeKey, 'dedupeKey'),
    providerCallId: text(event.providerCallId, 'providerCallId'),
    rawStatus: text(event.rawStatus, 'rawStatus'),
    status: status as CallStatus | null,
    occurredAt,
    facts: readFacts(facts),
  };
  if (event.callId !== undefined) result.callId = text(event.callId, 'callId');
  if (event.parentProviderCallId !== undefined)
    result.parentProviderCallId = text(event.parentProviderCallId, 'parentProviderCallId');
  if (event.sequence !== undefined) result.sequence = integer(event.sequence, 'sequence');
  if (event.artifacts !== undefined) {
    const artifacts = readArtifacts(record(event.artifacts, 'artifacts'));
    if (artifacts) result.artifacts = artifacts;
  }
  if (event.final === true) result.final = true;
  if (event.recordingOnly === true) result.recordingOnly = true;
  return result;
}

/** Artifacts as stored, read through the same bounds the adapters apply. */
function readArtifacts(artifacts: Record<string, unknown>): CallArtifacts | undefined {
  const recording =
    artifacts.recording === undefined
      ? undefined
      : record(artifacts.recording, 'artifacts.recording');
  const optionalText = (value: unknown, name: string) =>
    value === undefined ? undefined : text(value, name);
  return compactArtifacts({
    recording: recording
      ? recordingOf(recording.url, {
          ...(typeof recording.durationSeconds === 'number'
            ? { durationSeconds: recording.durationSeconds }
            : {}),
          ...(typeof recording.contentType === 'string'
            ? { contentType: recording.contentType }
            : {}),
          ...(typeof recording.providerRecordingId === 'string'
            ? { providerRecordingId: recording.providerRecordingId }
            : {}),
        })
      : undefined,
    transcript: parseTurnObjects(artifacts.transcript),
    summary: optionalText(artifacts.summary, 'artifacts.summary'),
    extractedData: extractedDataOf(artifacts.extractedData),
    hangupBy: optionalText(artifacts.hangupBy, 'artifacts.hangupBy'),
    recordingUnavailable: optionalText(
      artifacts.recordingUnavailable,
      'artifacts.recordingUnavailable',
    ),
  });
}

function readFacts(facts: Record<string, unknown>): CallFacts {
  const result: CallFacts = {};
  if (facts.durationSeconds !== undefined) {
    if (typeof facts.durationSeconds !== 'number' || !Number.isFinite(facts.durationSeconds))
      throw new WebhookParseError('facts.durationSeconds is not a number');
    result.durationSeconds = facts.durationSeconds;
  }
  if (facts.providerCostMicros !== undefined) {
    const cost = text(facts.providerCostMicros, 'facts.providerCostMicros');
    const digits = /^(-?\d+)n?$/.exec(cost);
    if (!digits) throw new WebhookParseError('facts.providerCostMicros is not an integer');
    result.providerCostMicros = BigInt(digits[1]);
  }
  for (const field of ['recordingUrl', 'providerCurrency', 'hangupReason'] as const)
    if (facts[field] !== undefined) result[field] = text(facts[field], `facts.${field}`);
  return result;
}

function record(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new WebhookParseError(`${name} is not an object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new WebhookParseError(`${name} is not a string`);
  return value;
}

function integer(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value)) throw new WebhookParseError(`${name} is not an integer`);
  return value as number;
}
