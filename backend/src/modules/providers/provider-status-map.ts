import { CallStatus } from '../calls/call-status';
import { ProviderName } from './provider-adapter';

/** Raw provider statuses → internal status, exactly as DESIGN section 3 tables them. */
const STATUS_MAP: Record<ProviderName, Record<string, CallStatus>> = {
  twilio: {
    queued: 'initiated',
    initiated: 'initiated',
    ringing: 'ringing',
    in_progress: 'in_progress',
    answered: 'in_progress',
    completed: 'completed',
    busy: 'busy',
    no_answer: 'no_answer',
    failed: 'failed',
    canceled: 'cancelled',
  },
  exotel: {
    queued: 'initiated',
    initiated: 'initiated',
    ringing: 'ringing',
    in_progress: 'in_progress',
    answered: 'in_progress',
    completed: 'completed',
    ended: 'completed',
    busy: 'busy',
    no_answer: 'no_answer',
    failed: 'failed',
    canceled: 'cancelled',
    cancelled: 'cancelled',
  },
  bolna: {
    queued: 'initiated',
    scheduled: 'initiated',
    rescheduled: 'initiated',
    initiated: 'initiated',
    ringing: 'ringing',
    in_progress: 'in_progress',
    answered: 'in_progress',
    ongoing: 'in_progress',
    call_disconnected: 'completed',
    completed: 'completed',
    ended: 'completed',
    finished: 'completed',
    busy: 'busy',
    no_answer: 'no_answer',
    failed: 'failed',
    error: 'failed',
    balance_low: 'failed',
    canceled: 'cancelled',
    stopped: 'cancelled',
  },
  simulator: {
    initiated: 'initiated',
    ringing: 'ringing',
    in_progress: 'in_progress',
    completed: 'completed',
    busy: 'busy',
    no_answer: 'no_answer',
    failed: 'failed',
    cancelled: 'cancelled',
  },
};

/** Case-insensitive; '-', '_' and spaces are equivalent. */
export const statusToken = (raw: string): string =>
  raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** The internal status of a provider's raw status, or null when it is unknown. */
export function mapProviderStatus(
  provider: ProviderName,
  raw: string | null | undefined,
): CallStatus | null {
  if (!raw) return null;
  return STATUS_MAP[provider][statusToken(raw)] ?? null;
}
