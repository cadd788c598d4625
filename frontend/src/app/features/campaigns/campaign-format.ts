import { Campaign, NewCampaign } from './campaigns-api';

/** Display of campaigns: labels, progress and the create form's request. Pure, for specs. */

export const CAMPAIGN_STATUS_LABELS: Readonly<Record<string, string>> = {
  draft: 'Draft',
  running: 'Running',
  paused: 'Paused',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export const CONTACT_STATE_LABELS: Readonly<Record<string, string>> = {
  pending: 'Waiting',
  in_flight: 'Calling',
  done: 'Done',
  skipped: 'Skipped',
};

export const SKIP_REASON_LABELS: Readonly<Record<string, string>> = {
  dnc: 'On the do-not-call list',
  invalid_number: 'Not a valid number',
  no_rate: 'No rate for this destination',
  outside_hours: 'Its windows never meet its calling hours',
  retries_exhausted: 'Every attempt used',
  cancelled: 'Campaign cancelled',
};

export const CAMPAIGN_PROVIDERS = ['simulator', 'exotel', 'bolna'] as const;
export type CampaignProvider = (typeof CAMPAIGN_PROVIDERS)[number];

/** Outcomes a campaign may retry (the API's RETRYABLE_STATUSES). */
export const RETRYABLE_OUTCOMES = [
  { value: 'busy', label: 'Busy' },
  { value: 'no_answer', label: 'No answer' },
  { value: 'failed', label: 'Failed' },
  { value: 'cancelled', label: 'Cancelled' },
] as const;

/** ISO days, Monday first. */
export const WEEK_DAYS = [
  { value: 1, label: 'Mon' },
  { value: 2, label: 'Tue' },
  { value: 3, label: 'Wed' },
  { value: 4, label: 'Thu' },
  { value: 5, label: 'Fri' },
  { value: 6, label: 'Sat' },
  { value: 7, label: 'Sun' },
] as const;

export function statusLabel(status: string): string {
  return CAMPAIGN_STATUS_LABELS[status] ?? status;
}

/** Why a paused campaign is paused, as the admin reads it. */
export function pauseReasonText(campaign: Pick<Campaign, 'status' | 'pauseReason'>): string | null {
  if (campaign.status !== 'paused') return null;
  switch (campaign.pauseReason) {
    case 'wallet':
      return 'Paused by itself: the wallet cannot hold one more call. It resumes on its own once the balance covers a call (top up the wallet).';
    case 'suspended':
      return 'Paused by itself: the platform operator suspended your organization. It resumes on its own once the organization is reinstated.';
    default:
      return 'Paused by an admin: no new calls are placed until it is resumed. Calls already live end normally.';
  }
}

/** Contacts finished (done or skipped) out of all, 0–100. */
export function progressPercent(progress: Campaign['progress']): number {
  if (!progress.total) return 0;
  const finished = progress.completed + progress.failed + progress.skipped;
  return Math.min(100, Math.round((finished / progress.total) * 100));
}

/** 0.4166 → "42 %"; null (nothing settled yet) → "—". */
export function percentText(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  return `${Math.round(rate * 100)} %`;
}

/** A duration in seconds as the form shows it: "10 min", "1 h 30 min", "45 s". */
export function delayText(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** Whether `zone` is an IANA time zone this browser knows (e.g. America/New_York). */
export function isTimeZone(zone: string): boolean {
  if (!zone.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone.trim() });
    return true;
  } catch {
    return false;
  }
}

/** The create form's values, as the form holds them. */
export interface CampaignFormValue {
  name: string;
  audienceMode: 'tag' | 'contacts';
  tag: string;
  contactIds: readonly string[];
  provider: CampaignProvider;
  bolnaAgentId: string;
  callerId: string;
  startMode: 'now' | 'at';
  /** `datetime-local` value, in the browser's zone. */
  startAt: string;
  zoneMode: 'callee' | 'fixed';
  timeZone: string;
  windows: readonly { days: readonly number[]; start: string; end: string }[];
  maxConcurrent: number;
  perMinute: number | null;
  retryOn: readonly string[];
  maxAttempts: number;
  retryDelayMinutes: number;
}

/** The audience part of a request (what the preview is asked about, too). */
export function audienceOf(value: Pick<CampaignFormValue, 'audienceMode' | 'tag' | 'contactIds'>) {
  return value.audienceMode === 'tag'
    ? { tag: value.tag.trim() }
    : { contactIds: [...value.contactIds] };
}

/** The schedule part: only what was chosen (the API's defaults otherwise). */
export function scheduleOf(
  value: Pick<CampaignFormValue, 'startMode' | 'startAt' | 'zoneMode' | 'timeZone' | 'windows'>,
): NonNullable<NewCampaign['schedule']> {
  const schedule: NonNullable<NewCampaign['schedule']> = {};
  if (value.startMode === 'at' && value.startAt) {
    schedule.startAt = new Date(value.startAt).toISOString();
  }
  if (value.zoneMode === 'fixed' && value.timeZone.trim())
    schedule.timeZone = value.timeZone.trim();
  if (value.windows.length) {
    schedule.windows = value.windows.map((w) => ({
      days: [...w.days].sort((a, b) => a - b),
      start: w.start,
      end: w.end,
    }));
  }
  return schedule;
}

/** POST /api/campaigns body from the form. */
export function toNewCampaign(value: CampaignFormValue): NewCampaign {
  const body: NewCampaign = {
    name: value.name.trim(),
    provider: value.provider,
    audience: audienceOf(value),
    schedule: scheduleOf(value),
    pacing: {
      maxConcurrent: value.maxConcurrent,
      ...(value.perMinute ? { perMinute: value.perMinute } : {}),
    },
  };
  if (value.callerId) body.callerId = value.callerId;
  if (value.provider === 'bolna') body.bolnaAgentId = value.bolnaAgentId.trim();
  if (value.retryOn.length && value.maxAttempts > 1) {
    body.retry = {
      on: [...value.retryOn] as NonNullable<NewCampaign['retry']>['on'],
      maxAttempts: value.maxAttempts,
      delaySeconds: Math.round(value.retryDelayMinutes * 60),
    };
  }
  return body;
}

/** Outcome series of the "outcomes over time" chart, in stacking order. */
export const OUTCOME_SERIES = [
  { key: 'completed', label: 'Completed', color: '#1b7f3b' },
  { key: 'busy', label: 'Busy', color: '#b26a00' },
  { key: 'noAnswer', label: 'No answer', color: '#7a7f8c' },
  { key: 'failed', label: 'Failed', color: '#c62828' },
  { key: 'cancelled', label: 'Cancelled', color: '#9e9e9e' },
] as const;

export interface OutcomeBucketView {
  at: string;
  completed: number;
  busy: number;
  noAnswer: number;
  failed: number;
  cancelled: number;
}

/** Time labels of the buckets: seconds shown when buckets are shorter than a minute. */
export function bucketLabel(at: string, bucketSeconds: number): string {
  const options: Intl.DateTimeFormatOptions =
    bucketSeconds >= 86_400
      ? { month: 'short', day: 'numeric' }
      : bucketSeconds < 60
        ? { hour: 'numeric', minute: '2-digit', second: '2-digit' }
        : { hour: 'numeric', minute: '2-digit' };
  return new Intl.DateTimeFormat(undefined, options).format(new Date(at));
}

/** "Tag “leads-dec”" or "12 chosen contacts". */
export function audienceText(audience: {
  tag?: string | null;
  contactIds?: readonly string[] | null;
}): string {
  if (audience.tag) return `Tag “${audience.tag}”`;
  const count = audience.contactIds?.length ?? 0;
  return `${count} chosen ${count === 1 ? 'contact' : 'contacts'}`;
}

export function contactStateLabel(state: string): string {
  return CONTACT_STATE_LABELS[state] ?? state;
}

export function skipReasonLabel(reason: string): string {
  return SKIP_REASON_LABELS[reason] ?? reason;
}
