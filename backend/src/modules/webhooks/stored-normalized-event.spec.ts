import { NormalizedEvent, WebhookParseError } from '../providers/provider-adapter';
import { deserializeNormalizedEvent, serializeNormalizedEvent } from './stored-normalized-event';

const event: NormalizedEvent = {
  dedupeKey: '42n',
  providerCallId: '123n',
  callId: '0b7d9f0e-3c1a-4c55-9d55-6a3f0d7a9e01',
  rawStatus: '7n',
  status: 'completed',
  sequence: 3,
  occurredAt: new Date('2026-12-01T10:00:00.000Z'),
  facts: {
    durationSeconds: 61,
    providerCostMicros: 12_345n,
    providerCurrency: 'USD',
    hangupReason: '-9n',
    recordingUrl: 'https://example.test/1n',
  },
};

/** The stored form of `event`, as plain JSON values. */
const stored = JSON.parse(serializeNormalizedEvent(event)) as Record<string, unknown>;

describe('stored normalized events', () => {
  it('read back exactly as they were stored, strings that look like bigints included', () => {
    expect(deserializeNormalizedEvent(serializeNormalizedEvent(event))).toEqual(event);
  });

  it('carry the call outcome (artifacts) and finality through storage', () => {
    const withOutcome: NormalizedEvent = {
      ...event,
      final: true,
      artifacts: {
        recording: {
          url: 'https://example.test/r.mp3',
          contentType: 'audio/mpeg',
          durationSeconds: 61,
        },
        transcript: [
          { speaker: 'agent', text: 'Hello', startSeconds: 0 },
          { speaker: 'callee', text: 'Hi' },
        ],
        summary: 'A greeting',
        extractedData: { interested: true },
        hangupBy: 'Callee',
      },
    };
    expect(deserializeNormalizedEvent(serializeNormalizedEvent(withOutcome))).toEqual(withOutcome);
  });

  it('keep the cost as a decimal string', () => {
    expect(JSON.parse(serializeNormalizedEvent(event)).facts.providerCostMicros).toBe('12345');
  });

  it('still read the cost of events stored as `123n`', () => {
    const legacy = JSON.stringify({
      ...stored,
      facts: { ...(stored.facts as object), providerCostMicros: '12345n' },
    });
    expect(deserializeNormalizedEvent(legacy).facts.providerCostMicros).toBe(12_345n);
  });

  it.each([
    ['not JSON', '{', 'the stored event is not JSON'],
    ['a number where a string belongs', { ...stored, rawStatus: 5 }, 'rawStatus is not a string'],
    [
      'an unknown status',
      { ...stored, status: 'exploded' },
      'status "exploded" is not a call status',
    ],
    ['a bad date', { ...stored, occurredAt: 'yesterday' }, 'occurredAt is not a date'],
    [
      'a cost that is not an integer',
      { ...stored, facts: { providerCostMicros: '1.5' } },
      'facts.providerCostMicros is not an integer',
    ],
  ])('refuse %s', (_name, body, message) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    expect(() => deserializeNormalizedEvent(raw)).toThrow(new WebhookParseError(message));
  });
});
