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

/** What an agent records about a call afterwards (`PATCH /api/calls/:id`). */
export interface CallNote {
  note?: string | null;
  disposition?: CallDisposition | null;
}

export interface CallAgent {
  id: string;
  name: string;
}

export interface CallView {
  id: string;
  provider: Provider;
  providerCallId: string | null;
  direction: CallDirection;
  from: string | null;
  to: string;
  /** ISO 3166 two-letter code, when the number's country is known. */
  country: string | null;
  status: CallStatus;
  rawStatus: string | null;
  agent: CallAgent | null;
  contactId: string | null;
  /** The linked contact, matched by number when the call was placed. */
  contact: { id: string; name: string } | null;
  /** The agent's note after the call. */
  note: string | null;
  disposition: CallDisposition | null;
  createdAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  timeLimitSeconds: number | null;
  /** Integer micro-units of the organization's currency, as a decimal string. */
  costMicros: string | null;
  providerCostMicros: string | null;
  providerCurrency: string | null;
  recordingUrl: string | null;
  hangupReason: string | null;
}

/** One provider event as the call's timeline records it, applied or not. */
export interface CallEventView {
  id: string;
  rawStatus: string;
  /** The internal status it maps to; null when the provider's status is unknown. */
  status: CallStatus | null;
  applied: boolean;
  /** applied, same_status, lower_rank, already_terminal, older_sequence, unknown_status, optionally `+enriched`. */
  outcome: string;
  sequence: number | null;
  facts: Record<string, string | number | boolean | null>;
  occurredAt: string;
  receivedAt: string;
}

export interface CallDetail extends CallView {
  timeline: CallEventView[];
}

export interface CallPage {
  items: CallView[];
  nextCursor: string | null;
}

export interface NewCall {
  provider: ServerPlacedProvider;
  to: string;
  from?: string;
  scenario?: SimulatorScenario;
  talkSeconds?: number;
  chaos?: boolean;
}

/** A short-lived Twilio access token for the browser device. */
export interface VoiceToken {
  token: string;
  identity: string;
  expiresInSeconds: number;
}

/** A number the organization may show as the caller. */
export interface CallerId {
  id: string;
  number: string;
  label: string;
}

export interface VoiceConfig {
  twilio: { enabled: boolean; identity: string | null };
  /** Providers enabled on this deployment; the simulator is always there. */
  providers: Provider[];
}
