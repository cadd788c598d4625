/** Switchboard's call statuses and the rules that order them (DESIGN section 3). */
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

export const TERMINAL_STATUSES: readonly CallStatus[] = [
  'completed',
  'busy',
  'no_answer',
  'failed',
  'cancelled',
];
export const ACTIVE_STATUSES: readonly CallStatus[] = ['initiated', 'ringing', 'in_progress'];

const RANK: Record<CallStatus, number> = {
  initiated: 0,
  ringing: 1,
  in_progress: 2,
  completed: 3,
  busy: 3,
  no_answer: 3,
  failed: 3,
  cancelled: 3,
};

export const statusRank = (status: CallStatus): number => RANK[status];
export const isTerminal = (status: CallStatus): boolean => RANK[status] === 3;

/** Why an event did or did not change the call's status; recorded on the timeline. */
export type TransitionOutcome =
  | 'applied'
  | 'same_status'
  | 'lower_rank'
  | 'already_terminal'
  | 'older_sequence'
  | 'unknown_status';

/** Decides whether `next` may replace `current`: only a higher rank, and a terminal status never changes. */
export function decideTransition(
  current: CallStatus,
  next: CallStatus | null,
  sequence?: { event?: number | null; lastApplied?: number | null },
): TransitionOutcome {
  if (next === null) return 'unknown_status';
  if (isTerminal(current)) return 'already_terminal';
  if (
    sequence?.event !== undefined &&
    sequence.event !== null &&
    sequence.lastApplied !== undefined &&
    sequence.lastApplied !== null &&
    sequence.event < sequence.lastApplied
  ) {
    return 'older_sequence';
  }
  if (next === current) return 'same_status';
  if (RANK[next] <= RANK[current]) return 'lower_rank';
  return 'applied';
}
