import { CallStatus } from '../calls/call-status';

export const PROVIDER_NAMES = ['twilio', 'exotel', 'bolna', 'simulator'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** Providers a server can place a call through (Twilio calls start in the agent's browser). */
export const SERVER_PLACED_PROVIDERS = ['exotel', 'bolna', 'simulator'] as const;
export type ServerPlacedProvider = (typeof SERVER_PLACED_PROVIDERS)[number];

/** A webhook request as the ingress received it; adapters verify and parse it. */
export interface IncomingWebhook {
  /** Path and query exactly as requested, e.g. `/api/webhooks/twilio/status?callId=…`. */
  url: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  contentType: string;
  rawBody: string;
  /** Fields parsed from JSON, URL-encoded or multipart bodies (strings for forms, JSON values for JSON). */
  body: Record<string, unknown>;
}

/** Facts a provider reports about a call besides its status; they may arrive after the terminal event. */
export interface CallFacts {
  /** Billable talk time in seconds, from the provider's own seconds field. */
  durationSeconds?: number;
  recordingUrl?: string;
  /** What the provider charged, in micro-units of `providerCurrency`. */
  providerCostMicros?: bigint;
  providerCurrency?: string;
  hangupReason?: string;
}

/** One turn of a call's transcript. */
export interface TranscriptTurn {
  /** `agent` (the AI agent or the person who placed the call), `callee`, or the provider's own label. */
  speaker: string;
  text: string;
  /** Seconds from the start of the recording, when the provider says. */
  startSeconds?: number;
}

/** A recording as the provider offers it: its URL never leaves the server. */
export interface ProviderRecording {
  /** Where the worker fetches it (with the provider's credentials where needed). */
  url: string;
  durationSeconds?: number;
  /** Expected content type (the fetch's own Content-Type wins). */
  contentType?: string;
  /** The provider's id of the recording (Twilio RecordingSid). */
  providerRecordingId?: string;
}

/**
 * What the provider learned about the call besides its status: stored once per call, as late
 * enrichment (a call may already be terminal when they arrive).
 */
export interface CallArtifacts {
  recording?: ProviderRecording;
  transcript?: TranscriptTurn[];
  summary?: string;
  extractedData?: Record<string, unknown>;
  /** Who ended the call, as the provider names it (Bolna `Callee`, Twilio…). */
  hangupBy?: string;
  /** A recording was expected and the provider says there is none (Twilio `absent`/`failed`). */
  recordingUnavailable?: string;
}

/** One provider event in Switchboard's terms. */
export interface NormalizedEvent {
  /** Identity of this event for deduplication: the same delivery twice has the same key. */
  dedupeKey: string;
  /** The provider's id of the call leg the event is about (Twilio CallSid, Exotel CallSid, Bolna execution id). */
  providerCallId: string;
  /** Switchboard's call id when the provider echoes it back (URL query, CustomField, user data). */
  callId?: string;
  /** Twilio: the agent's (parent) leg of a `<Dial>` child leg. */
  parentProviderCallId?: string;
  rawStatus: string;
  /** null when the raw status is unknown: recorded, applies nothing. */
  status: CallStatus | null;
  /** Provider's per-leg order (Twilio SequenceNumber). */
  sequence?: number;
  occurredAt: Date;
  facts: CallFacts;
  /** Recording, transcript, summary… when this event carries them. */
  artifacts?: CallArtifacts;
  /**
   * This is the provider's last word on the call: its final figures and artifacts have arrived
   * (Bolna `completed`, Exotel's terminal callback, Twilio's recording callback…).
   */
  final?: boolean;
  /**
   * An event about the call's recording only (Twilio's recordingStatusCallback): it carries no
   * status, and its CallSid (the parent leg of a `<Dial>`) must not name the call.
   */
  recordingOnly?: boolean;
}

export interface PlaceCallRequest {
  callId: string;
  from?: string;
  to: string;
  /** Seconds after which the provider must cut the call (the wallet's affordable duration). */
  timeLimitSeconds: number;
  /** Where the provider should send status callbacks for this call (already includes any token). */
  statusCallbackUrl: string;
  /** Simulator only: how the call should end. */
  scenario?: string;
  /** Bolna: the agent that talks, instead of the deployment's BOLNA_AGENT_ID. */
  agentId?: string;
  /** Bolna: variables for the agent's prompt (sent as `user_data`). */
  variables?: Record<string, string>;
}

export interface PlacedCall {
  providerCallId: string;
  /** Caller id the provider dials from, when it decides it. */
  from?: string;
}

/** A live call as an adapter needs it to end it. */
export interface HangupTarget {
  callId: string;
  /** The provider's id of the leg to end (Twilio: the dialed child leg), null until named. */
  providerCallId: string | null;
  /** Twilio browser calls: the agent's own leg, ended when the child leg is not named yet. */
  parentProviderCallId: string | null;
  status: CallStatus;
}

/** Thrown when a verified webhook cannot be parsed: the ingress answers 400 and keeps the raw request. */
export class WebhookParseError extends Error {
  override name = 'WebhookParseError';
}

/** Thrown when a provider's API refuses or fails a request (placing a call, fetching its state). */
export class ProviderApiError extends Error {
  override name = 'ProviderApiError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** One telephony provider behind one interface. */
export interface ProviderAdapter {
  readonly name: ProviderName;
  /** Whether its settings are present (the simulator always is). */
  isEnabled(): boolean;
  /** Checks the signature or secret. Never throws: false means 401/403 and nothing stored. */
  verifyWebhook(request: IncomingWebhook): boolean;
  /** Parses a verified webhook; throws WebhookParseError for a malformed body or missing identifiers. */
  parseWebhook(request: IncomingWebhook): NormalizedEvent;
  /** Places an outbound call; Twilio browser calls are placed by the Voice SDK instead. */
  placeCall(request: PlaceCallRequest): Promise<PlacedCall>;
  /**
   * True when placing the same call id twice places one call (the second answers the first's
   * provider id): a placement interrupted by a crash may then simply be asked again.
   */
  readonly idempotentPlacement?: boolean;
  /** Asks the provider for a call's current state (reconciliation); null when it does not know the call. */
  fetchCallState(providerCallId: string): Promise<NormalizedEvent | null>;
  /**
   * Asks the provider for a call's outcome (its recording…) when the provider's final word is
   * overdue; providers whose call state carries the outcome (Bolna's execution) need none:
   * reconciliation then uses fetchCallState. Null when there is nothing (yet).
   */
  fetchCallOutcome?(call: {
    providerCallId: string;
    parentProviderCallId: string | null;
  }): Promise<NormalizedEvent | null>;
  /**
   * Why the provider cannot end this live call (no documented API, call not named yet), naming
   * the provider; null when hangUp can.
   */
  hangupUnsupportedReason(call: HangupTarget): string | null;
  /**
   * Asks the provider to end a live call. Resolves once the provider accepted the request; the
   * end itself arrives as a webhook, through the pipeline like any status.
   */
  hangUp(call: HangupTarget): Promise<void>;
}
