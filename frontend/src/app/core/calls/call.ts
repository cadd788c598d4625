import { ApiSchema, ApiView, Page, Refine } from '../api/api-schema';

/** The call shapes returned by the backend's calls and voice endpoints (money as micros strings). */
export const CALL_STATUSES = [
  'initiated',
  'ringing',
  'in_progress',
  'completed',
  'busy',
  'no_answer',
  'failed',
  'cancelled',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const CALL_STATUS_LABELS: Readonly<Record<CallStatus, string>> = {
  initiated: 'Initiated',
  ringing: 'Ringing',
  in_progress: 'In progress',
  completed: 'Completed',
  busy: 'Busy',
  no_answer: 'No answer',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** A terminal status never changes again (DESIGN §3). */
export function isTerminalStatus(status: CallStatus): boolean {
  return (
    status === 'completed' ||
    status === 'busy' ||
    status === 'no_answer' ||
    status === 'failed' ||
    status === 'cancelled'
  );
}

/** 0 initiated, 1 ringing, 2 in progress, 3 ended: a call only ever moves up (DESIGN §3). */
export function statusRank(status: CallStatus): number {
  if (isTerminalStatus(status)) return 3;
  return status === 'in_progress' ? 2 : status === 'ringing' ? 1 : 0;
}

/**
 * Whether `incoming` (a pushed or fetched copy of a call) is older than `current`: pushes from
 * several processes can arrive out of order, and a call's status never goes back.
 */
export function isOlderCall(incoming: CallView, current: CallView): boolean {
  return statusRank(incoming.status) < statusRank(current.status);
}

export const PROVIDERS = ['twilio', 'exotel', 'bolna', 'simulator'] as const;
export type Provider = (typeof PROVIDERS)[number];

export const PROVIDER_LABELS: Readonly<Record<Provider, string>> = {
  twilio: 'Twilio',
  exotel: 'Exotel',
  bolna: 'Bolna',
  simulator: 'Simulator',
};

/** A provider's display name; unknown names (a newer backend) are shown as they are. */
export function providerLabel(provider: string): string {
  return PROVIDER_LABELS[provider as Provider] ?? provider;
}

/** Providers the server can place a call through (Twilio calls start in the browser). */
export type ServerPlacedProvider = Exclude<Provider, 'twilio'>;

export const CALL_DIRECTIONS = ['outbound', 'inbound'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

export const CALL_DIRECTION_LABELS: Readonly<Record<CallDirection, string>> = {
  outbound: 'Outbound',
  inbound: 'Inbound',
};

export const SIMULATOR_SCENARIOS = ['random', 'completed', 'busy', 'no_answer', 'failed'] as const;
export type SimulatorScenario = (typeof SIMULATOR_SCENARIOS)[number];

export const SCENARIO_LABELS: Readonly<Record<SimulatorScenario, string>> = {
  random: 'Random outcome',
  completed: 'Answered, then completed',
  busy: 'Busy',
  no_answer: 'No answer',
  failed: 'Failed',
};

export const CALL_DISPOSITIONS = [
  'interested',
  'not_interested',
  'callback',
  'voicemail',
  'wrong_number',
  'do_not_call',
  'other',
] as const;
export type CallDisposition = (typeof CALL_DISPOSITIONS)[number];

export const CALL_DISPOSITION_LABELS: Readonly<Record<CallDisposition, string>> = {
  interested: 'Interested',
  not_interested: 'Not interested',
  callback: 'Call back',
  voicemail: 'Left voicemail',
  wrong_number: 'Wrong number',
  do_not_call: 'Do not call',
  other: 'Other',
};

/** The longest note the API keeps (`CallNoteDto.note`). */
export const CALL_NOTE_MAX_LENGTH = 2000;

/** What an agent records about a call afterwards (`PATCH /api/calls/:id`); null clears a field. */
export type CallNote = {
  [K in keyof ApiSchema<'CallNoteDto'>]?: ApiSchema<'CallNoteDto'>[K] | null;
};

export type CallAgent = ApiView<'CallAgentView'>;

/** A call as the api returns it (money: integer micros as decimal strings). */
export type CallView = Refine<ApiView<'CallView'>, { disposition: CallDisposition | null }>;

/** One provider event as the call's timeline records it, applied or not. */
export type CallEventView = Refine<
  ApiView<'CallEventView'>,
  { facts: Record<string, string | number | boolean | null> }
>;

/** A call's stored recording: `url` is Switchboard's own signed, short-lived URL (never the provider's). */
export type CallRecording = ApiView<'CallRecordingView'>;
export type TranscriptTurn = ApiView<'TranscriptTurnView'>;

/** What the provider learned after the call (GET /api/calls/:id only). */
export interface CallOutcome {
  recording?: CallRecording | null;
  transcript?: TranscriptTurn[] | null;
  summary?: string | null;
  extractedData?: Record<string, unknown> | null;
  hangupBy?: string | null;
  /** The provider's final figures and artifacts have arrived (or its deadline passed). */
  final?: boolean;
  finalizedAt?: string | null;
}

/** `GET /api/calls/:id`: the call, its timeline, whether it can be hung up from here, its outcome. */
export type CallDetail = CallView & {
  timeline: CallEventView[];
  /** Absent from older copies (pushed views): then only the status says whether it is live. */
  canHangUp?: boolean;
  hangupUnsupportedReason?: string | null;
} & CallOutcome;

export type CallPage = Page<CallView>;

export type NewCall = ApiSchema<'InitiateCallDto'>;

/** A short-lived Twilio access token for the browser device. */
/** `POST /api/voice/token`: a Twilio Voice SDK access token for the signed-in user. */
export type VoiceToken = ApiView<'VoiceTokenView'>;

/** A number the organization may show as the caller. */
export type CallerId = ApiView<'CallerIdView'>;

/** `GET /api/voice/config`; `providers`: enabled on this deployment (the simulator always is). */
export type VoiceConfig = ApiView<'VoiceConfigView'>;
