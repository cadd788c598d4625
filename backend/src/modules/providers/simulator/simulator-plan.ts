import { randomInt } from 'node:crypto';

export const SIMULATOR_SCENARIOS = ['random', 'completed', 'busy', 'no_answer', 'failed'] as const;
export type SimulatorScenario = (typeof SIMULATOR_SCENARIOS)[number];
export type SimulatorOutcome = Exclude<SimulatorScenario, 'random'>;

/** Realistic odds for `random`: most calls connect; some ring out, some are busy, a few fail. */
const RANDOM_ODDS: [SimulatorOutcome, number][] = [
  ['completed', 70],
  ['no_answer', 12],
  ['busy', 10],
  ['failed', 8],
];

export interface SimulatedEvent {
  status: 'initiated' | 'ringing' | 'in_progress' | SimulatorOutcome | 'cancelled';
  /** Milliseconds after the call was placed (already scaled). */
  atMs: number;
  durationSeconds?: number;
  recordingUrl?: string;
  hangupReason?: string;
}

export interface SimulatorPlan {
  providerCallId: string;
  callId: string;
  outcome: SimulatorOutcome;
  /** Talk time the call will report, in (unscaled) seconds. */
  talkSeconds: number;
  placedAt: number;
  events: SimulatedEvent[];
}

export interface PlanOptions {
  providerCallId: string;
  callId: string;
  scenario?: SimulatorScenario;
  /** The callee (E.164): a test number decides the outcome when no scenario is given. */
  to?: string;
  talkSeconds?: number;
  timeLimitSeconds: number;
  /** Multiplies every delay (talk time is reported unscaled). */
  timeScale: number;
  now?: number;
  random?: (maxExclusive: number) => number;
}

function pickOutcome(random: (max: number) => number): SimulatorOutcome {
  let roll = random(100);
  for (const [outcome, weight] of RANDOM_ODDS) {
    if (roll < weight) return outcome;
    roll -= weight;
  }
  return 'completed';
}

/** What a simulator test number decides: the outcome and, for answered ones, the talk time. */
export interface TestNumberOutcome {
  outcome: SimulatorOutcome;
  /** Seconds of talk; null for a call that never ends by itself (only a hang-up or the time limit). */
  talkSeconds: number | null;
}

/**
 * The fictional range `+1 NPA 555 01NN` (North American numbers reserved for fiction): NN 00–59
 * completed after 20 + NN seconds of talk, 60–69 busy, 70–79 no answer, 80–89 failed, 90–99
 * answered and never ended by itself. null for any other number.
 */
export function testNumberOutcome(to: string | undefined): TestNumberOutcome | null {
  const match = /^\+1[2-9]\d{2}55501(\d{2})$/.exec(to ?? '');
  if (!match) return null;
  const nn = Number(match[1]);
  if (nn < 60) return { outcome: 'completed', talkSeconds: 20 + nn };
  if (nn < 70) return { outcome: 'busy', talkSeconds: 0 };
  if (nn < 80) return { outcome: 'no_answer', talkSeconds: 0 };
  if (nn < 90) return { outcome: 'failed', talkSeconds: 0 };
  return { outcome: 'completed', talkSeconds: null };
}

/** Decides how a simulated call unfolds: which events, when, and what they report. */
export function planSimulatedCall(options: PlanOptions): SimulatorPlan {
  const random = options.random ?? ((max: number) => randomInt(max));
  const scale = (seconds: number) => Math.round(seconds * 1000 * options.timeScale);
  // An explicit scenario wins; without one, a test number decides; otherwise the random odds.
  const byNumber = options.scenario ? null : testNumberOutcome(options.to);
  const outcome = byNumber
    ? byNumber.outcome
    : !options.scenario || options.scenario === 'random'
      ? pickOutcome(random)
      : options.scenario;
  // The simulator cuts the call at its time limit, as Twilio's <Dial timeLimit> would. A test
  // number that never ends by itself talks until that limit (or a hang-up, see hangUpPlan).
  const wantedTalk = byNumber
    ? (byNumber.talkSeconds ?? options.timeLimitSeconds)
    : (options.talkSeconds ?? 5 + random(40));
  const talkSeconds = Math.max(0, Math.min(wantedTalk, options.timeLimitSeconds));

  const ringAt = 1 + random(2);
  const events: SimulatedEvent[] = [{ status: 'initiated', atMs: scale(0.2) }];
  if (outcome === 'failed') {
    events.push({
      status: 'failed',
      atMs: scale(1),
      durationSeconds: 0,
      hangupReason: 'Network could not route the call',
    });
  } else {
    events.push({ status: 'ringing', atMs: scale(ringAt) });
    if (outcome === 'busy') {
      events.push({
        status: 'busy',
        atMs: scale(ringAt + 2),
        durationSeconds: 0,
        hangupReason: 'Callee busy',
      });
    } else if (outcome === 'no_answer') {
      events.push({
        status: 'no_answer',
        atMs: scale(ringAt + 20),
        durationSeconds: 0,
        hangupReason: 'No answer',
      });
    } else {
      const answerAt = ringAt + 2 + random(4);
      events.push({ status: 'in_progress', atMs: scale(answerAt) });
      events.push({
        status: 'completed',
        atMs: scale(answerAt + talkSeconds),
        durationSeconds: talkSeconds,
        recordingUrl: `https://simulator.switchboard.invalid/recordings/${options.providerCallId}.mp3`,
        hangupReason:
          talkSeconds >= options.timeLimitSeconds ? 'Time limit reached' : 'Normal hangup',
      });
    }
  }
  return {
    providerCallId: options.providerCallId,
    callId: options.callId,
    outcome,
    talkSeconds: outcome === 'completed' ? talkSeconds : 0,
    placedAt: options.now ?? Date.now(),
    events,
  };
}

/** The latest event that has happened by `now` (reconciliation asks the simulator this). */
export function eventAt(plan: SimulatorPlan, now: number): SimulatedEvent | undefined {
  const elapsed = now - plan.placedAt;
  return [...plan.events].reverse().find((event) => event.atMs <= elapsed);
}

export const SIMULATOR_HANGUP_REASON = 'Hung up from Switchboard';

/**
 * The plan of a call hung up at `now`: what happened stays, what had not happened yet is replaced
 * by one end at `now` (`completed` with the talk time so far once answered, `cancelled` before).
 * `removed` are the events whose deliveries must not go out. null when the plan had already
 * ended by `now` (its own end is on its way).
 */
export function hangUpPlan(
  plan: SimulatorPlan,
  now: number,
  timeScale: number,
): { plan: SimulatorPlan; end: SimulatedEvent; removed: SimulatedEvent[] } | null {
  const elapsed = Math.max(0, now - plan.placedAt);
  const happened = plan.events.filter((event) => event.atMs <= elapsed);
  const removed = plan.events.filter((event) => event.atMs > elapsed);
  const live = ['initiated', 'ringing', 'in_progress'];
  if (happened.some((event) => !live.includes(event.status))) return null;
  const answered = happened.find((event) => event.status === 'in_progress');
  // Talk time is reported unscaled, like the planned one: scaled milliseconds back to seconds.
  const talkSeconds = answered
    ? Math.max(0, Math.round((elapsed - answered.atMs) / (1000 * timeScale)))
    : 0;
  const end: SimulatedEvent = answered
    ? {
        status: 'completed',
        atMs: elapsed,
        durationSeconds: talkSeconds,
        recordingUrl: `https://simulator.switchboard.invalid/recordings/${plan.providerCallId}.mp3`,
        hangupReason: SIMULATOR_HANGUP_REASON,
      }
    : {
        status: 'cancelled',
        atMs: elapsed,
        durationSeconds: 0,
        hangupReason: SIMULATOR_HANGUP_REASON,
      };
  return {
    plan: {
      ...plan,
      outcome: answered ? 'completed' : plan.outcome,
      talkSeconds,
      events: [...happened, end],
    },
    end,
    removed,
  };
}
