import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What the simulator "learned" on an answered call: a plausible transcript with speaker turns
 * and times, a summary, extracted data, and a recording of the call's length (a generated WAV
 * it serves itself, fetched like a provider's recording URL). Deterministic per call, so a
 * redelivery or a reconciliation fetch says the same.
 */

export interface SimulatorTurn {
  speaker: 'agent' | 'callee';
  text: string;
  start_seconds: number;
}

const SCRIPT: [SimulatorTurn['speaker'], string][] = [
  ['agent', 'Hello, this is Switchboard calling about your recent order. Is this a good time?'],
  ['callee', 'Yes, go ahead please.'],
  ['agent', 'Your delivery is scheduled for tomorrow morning. Would you like an SMS reminder?'],
  ['callee', 'Yes, a reminder would be helpful.'],
  ['agent', 'Done. Is there anything else I can help you with today?'],
  ['callee', 'Could you confirm the delivery address is still the warehouse on Market Street?'],
  ['agent', 'Confirmed, the warehouse on Market Street. Anything else?'],
  ['callee', 'No, that is all. Thank you.'],
  ['agent', 'Thank you for your time. Goodbye!'],
];

/** Turns spread over the talk time: as many of the script as fit, each after the previous. */
export function simulatedTranscript(talkSeconds: number): SimulatorTurn[] {
  if (talkSeconds <= 0) return [];
  const count = Math.max(2, Math.min(SCRIPT.length, Math.floor(talkSeconds / 4)));
  const lines = [...SCRIPT.slice(0, count - 1), SCRIPT[SCRIPT.length - 1]];
  const step = talkSeconds / lines.length;
  return lines.map(([speaker, text], index) => ({
    speaker,
    text,
    start_seconds: Math.round(index * step * 10) / 10,
  }));
}

export function simulatedSummary(talkSeconds: number): string {
  return talkSeconds >= 16
    ? `The callee confirmed tomorrow morning's delivery to the Market Street warehouse and asked for an SMS reminder (${talkSeconds} s call).`
    : `The callee agreed to an SMS reminder for tomorrow morning's delivery (${talkSeconds} s call).`;
}

export function simulatedExtractedData(talkSeconds: number): Record<string, unknown> {
  return {
    wants_sms_reminder: true,
    delivery_window: 'tomorrow morning',
    address_confirmed: talkSeconds >= 16,
  };
}

/** 8 kHz mono 16-bit PCM: 16 kB a second (a 10-minute call is under 10 MB). */
const SAMPLE_RATE = 8000;
/** Longest recording the simulator generates (its calls are short; a time limit caps them). */
export const MAX_SIMULATED_RECORDING_SECONDS = 4 * 3600;

/** Size in bytes of the WAV `simulatedRecording` produces for a duration. */
export function simulatedRecordingSize(seconds: number): number {
  return 44 + Math.max(1, Math.round(seconds * SAMPLE_RATE)) * 2;
}

/**
 * A WAV of `seconds`: alternating tones (one pitch per speaker turn) with short pauses, so it plays,
 * seeks and shows its length like a real call recording.
 */
export function simulatedRecording(seconds: number): Buffer {
  const samples = Math.max(1, Math.round(seconds * SAMPLE_RATE));
  const buffer = Buffer.alloc(44 + samples * 2);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(36 + samples * 2, 4);
  buffer.write('WAVE', 8, 'ascii');
  buffer.write('fmt ', 12, 'ascii');
  buffer.writeUInt32LE(16, 16); // PCM header size
  buffer.writeUInt16LE(1, 20); // PCM
  buffer.writeUInt16LE(1, 22); // mono
  buffer.writeUInt32LE(SAMPLE_RATE, 24);
  buffer.writeUInt32LE(SAMPLE_RATE * 2, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    const t = i / SAMPLE_RATE;
    const turn = Math.floor(t / 4);
    const inPause = t % 4 > 3.4;
    const pitch = turn % 2 === 0 ? 220 : 330;
    const value = inPause ? 0 : Math.round(Math.sin(2 * Math.PI * pitch * t) * 6000);
    buffer.writeInt16LE(value, 44 + i * 2);
  }
  return buffer;
}

/** The signature of a simulator recording URL: only the simulator's own URLs are served. */
export function simulatorRecordingSignature(
  secret: string,
  providerCallId: string,
  seconds: number,
): string {
  const key = createHash('sha256').update(`simulator-recordings:${secret}`).digest();
  return createHmac('sha256', key).update(`${providerCallId}:${seconds}`).digest('base64url');
}

export function simulatorRecordingSignatureMatches(
  secret: string,
  providerCallId: string,
  seconds: number,
  signature: string,
): boolean {
  const expected = Buffer.from(simulatorRecordingSignature(secret, providerCallId, seconds));
  const received = Buffer.from(signature);
  return expected.length === received.length && timingSafeEqual(expected, received);
}
