import { CallArtifacts, ProviderRecording, TranscriptTurn } from './provider-adapter';
import { isRecord, textField } from './provider-http';

/** Bounds on what a provider may make us store for one call (a transcript of hours fits). */
export const MAX_TRANSCRIPT_TURNS = 5_000;
export const MAX_TURN_CHARACTERS = 10_000;
export const MAX_SUMMARY_CHARACTERS = 20_000;
export const MAX_EXTRACTED_DATA_CHARACTERS = 100_000;
export const MAX_HANGUP_BY_CHARACTERS = 64;

/** Providers' speaker labels in Switchboard's terms: the agent (AI or person) and the callee. */
const SPEAKERS: Record<string, string> = {
  assistant: 'agent',
  agent: 'agent',
  bot: 'agent',
  ai: 'agent',
  user: 'callee',
  customer: 'callee',
  callee: 'callee',
  human: 'callee',
};

export function speakerName(label: string): string {
  const key = label.trim().toLowerCase();
  return SPEAKERS[key] ?? key.slice(0, 32);
}

/**
 * A transcript written as lines `speaker: text` (Bolna: `assistant: …\nuser: …\n`). A line
 * without a known `speaker:` prefix continues the previous turn. Times are not in this format.
 */
export function parseSpeakerLines(text: string): TranscriptTurn[] {
  const turns: TranscriptTurn[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const match = /^\s*([A-Za-z][\w -]{0,31}):\s?(.*)$/.exec(line);
    if (match && (SPEAKERS[match[1].trim().toLowerCase()] || turns.length === 0)) {
      turns.push({ speaker: speakerName(match[1]), text: match[2].trim() });
    } else if (turns.length > 0) {
      turns[turns.length - 1].text = `${turns[turns.length - 1].text}\n${line.trim()}`;
    } else {
      turns.push({ speaker: 'unknown', text: line.trim() });
    }
  }
  return boundedTurns(turns);
}

/** Turns given as objects (`{ speaker|role, text|content, startSeconds|start }`), bounded. */
export function parseTurnObjects(value: unknown): TranscriptTurn[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const turns: TranscriptTurn[] = [];
  for (const item of value) {
    if (!isRecord(item)) continue;
    const speaker = textField(item.speaker) ?? textField(item.role);
    const text = textField(item.text) ?? textField(item.content);
    if (!speaker || !text) continue;
    const start = item.startSeconds ?? item.start;
    const turn: TranscriptTurn = { speaker: speakerName(speaker), text };
    if (typeof start === 'number' && Number.isFinite(start) && start >= 0)
      turn.startSeconds = Math.round(start * 1000) / 1000;
    turns.push(turn);
  }
  return boundedTurns(turns);
}

function boundedTurns(turns: TranscriptTurn[]): TranscriptTurn[] {
  return turns.slice(0, MAX_TRANSCRIPT_TURNS).map((turn) => ({
    ...turn,
    text: turn.text.slice(0, MAX_TURN_CHARACTERS),
  }));
}

/** A JSON object of extracted data, or undefined (not an object, empty, or too large to keep). */
export function extractedDataOf(value: unknown): Record<string, unknown> | undefined {
  let data = value;
  if (typeof value === 'string' && value.trim().startsWith('{')) {
    try {
      data = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!isRecord(data) || Object.keys(data).length === 0) return undefined;
  if (JSON.stringify(data).length > MAX_EXTRACTED_DATA_CHARACTERS) return undefined;
  return data;
}

/** Content type from a recording URL's extension (the fetch's own Content-Type wins later). */
export function contentTypeOfUrl(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname.toLowerCase();
  } catch {
    return undefined;
  }
  if (path.endsWith('.mp3')) return 'audio/mpeg';
  if (path.endsWith('.wav')) return 'audio/wav';
  if (path.endsWith('.ogg') || path.endsWith('.opus')) return 'audio/ogg';
  if (path.endsWith('.m4a') || path.endsWith('.mp4')) return 'audio/mp4';
  if (path.endsWith('.webm')) return 'audio/webm';
  return undefined;
}

/** An http(s) URL the worker may fetch; anything else is not a recording. */
export function recordingOf(
  url: unknown,
  details: Omit<ProviderRecording, 'url'> = {},
): ProviderRecording | undefined {
  const text = textField(url);
  if (!text || text.length > 2000) return undefined;
  try {
    const parsed = new URL(text);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  } catch {
    return undefined;
  }
  const recording: ProviderRecording = { url: text };
  const contentType = details.contentType ?? contentTypeOfUrl(text);
  if (contentType) recording.contentType = contentType;
  if (details.durationSeconds !== undefined && Number.isFinite(details.durationSeconds))
    recording.durationSeconds = Math.max(0, Math.round(details.durationSeconds));
  if (details.providerRecordingId) recording.providerRecordingId = details.providerRecordingId;
  return recording;
}

/** The artifacts without empty parts; undefined when nothing is left. */
export function compactArtifacts(artifacts: CallArtifacts): CallArtifacts | undefined {
  const result: CallArtifacts = {};
  if (artifacts.recording) result.recording = artifacts.recording;
  if (artifacts.transcript && artifacts.transcript.length > 0)
    result.transcript = artifacts.transcript;
  const summary = artifacts.summary?.trim();
  if (summary) result.summary = summary.slice(0, MAX_SUMMARY_CHARACTERS);
  if (artifacts.extractedData) result.extractedData = artifacts.extractedData;
  const hangupBy = artifacts.hangupBy?.trim();
  if (hangupBy) result.hangupBy = hangupBy.slice(0, MAX_HANGUP_BY_CHARACTERS);
  if (artifacts.recordingUnavailable)
    result.recordingUnavailable = artifacts.recordingUnavailable.slice(0, 500);
  return Object.keys(result).length > 0 ? result : undefined;
}
