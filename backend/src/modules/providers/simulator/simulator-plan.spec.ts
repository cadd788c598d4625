import { eventAt, hangUpPlan, planSimulatedCall, testNumberOutcome } from './simulator-plan';

const base = {
  providerCallId: 'SIMabc',
  callId: 'call-1',
  timeLimitSeconds: 600,
  timeScale: 1,
  now: 0,
};

describe('planSimulatedCall', () => {
  it('plays a completed call as initiated, ringing, in progress, completed with the talk time', () => {
    const plan = planSimulatedCall({ ...base, scenario: 'completed', talkSeconds: 42 });
    expect(plan.events.map((event) => event.status)).toEqual([
      'initiated',
      'ringing',
      'in_progress',
      'completed',
    ]);
    const [, , answered, completed] = plan.events;
    expect(completed.durationSeconds).toBe(42);
    expect(completed.atMs - answered.atMs).toBe(42_000);
    expect(plan.events.every((event, i) => i === 0 || event.atMs > plan.events[i - 1].atMs)).toBe(
      true,
    );
  });

  it('cuts the call at its time limit', () => {
    const plan = planSimulatedCall({
      ...base,
      scenario: 'completed',
      talkSeconds: 900,
      timeLimitSeconds: 120,
    });
    const completed = plan.events.at(-1)!;
    expect(completed.durationSeconds).toBe(120);
    expect(completed.hangupReason).toBe('Time limit reached');
  });

  it('ends busy, no-answer and failed calls without talk time', () => {
    for (const scenario of ['busy', 'no_answer', 'failed'] as const) {
      const plan = planSimulatedCall({ ...base, scenario });
      expect(plan.events.at(-1)).toMatchObject({ status: scenario, durationSeconds: 0 });
      expect(plan.events.some((event) => event.status === 'in_progress')).toBe(false);
      expect(plan.talkSeconds).toBe(0);
    }
  });

  it('scales delays but reports the real talk time', () => {
    const plan = planSimulatedCall({
      ...base,
      scenario: 'completed',
      talkSeconds: 60,
      timeScale: 0.01,
    });
    expect(plan.events.at(-1)!.atMs).toBeLessThan(1000);
    expect(plan.events.at(-1)!.durationSeconds).toBe(60);
  });

  it('draws random outcomes with realistic odds', () => {
    let seed = 0;
    const counts: Record<string, number> = {};
    for (let i = 0; i < 100; i += 1) {
      const plan = planSimulatedCall({
        ...base,
        random: (max) => (max === 100 ? seed++ % 100 : 0),
      });
      counts[plan.outcome] = (counts[plan.outcome] ?? 0) + 1;
    }
    expect(counts).toEqual({ completed: 70, no_answer: 12, busy: 10, failed: 8 });
  });

  it('tells the state at a moment', () => {
    const plan = planSimulatedCall({ ...base, scenario: 'completed', talkSeconds: 10 });
    expect(eventAt(plan, -1)).toBeUndefined();
    expect(eventAt(plan, plan.events[2].atMs + 1)?.status).toBe('in_progress');
    expect(eventAt(plan, 10_000_000)?.status).toBe('completed');
  });
});

describe('hangUpPlan', () => {
  const plan = planSimulatedCall({ ...base, scenario: 'completed', talkSeconds: 300 });
  const answeredAt = plan.events.find((event) => event.status === 'in_progress')!.atMs;

  it('ends an answered call now as completed with the talk time so far, dropping the planned end', () => {
    const hungUp = hangUpPlan(plan, answeredAt + 37_400, 1)!;
    expect(hungUp.end).toMatchObject({ status: 'completed', durationSeconds: 37 });
    expect(hungUp.removed.map((event) => event.status)).toEqual(['completed']);
    expect(hungUp.plan.events.map((event) => event.status)).toEqual([
      'initiated',
      'ringing',
      'in_progress',
      'completed',
    ]);
    expect(eventAt(hungUp.plan, answeredAt + 100_000)).toBe(hungUp.end);
  });

  it('reports talk time unscaled', () => {
    expect(hangUpPlan(plan, answeredAt + 500, 0.01)!.end.durationSeconds).toBe(50);
  });

  it('cancels a call that was not answered, dropping everything after now', () => {
    const ringingAt = plan.events[1].atMs;
    const hungUp = hangUpPlan(plan, ringingAt + 10, 1)!;
    expect(hungUp.end).toMatchObject({ status: 'cancelled', durationSeconds: 0 });
    expect(hungUp.removed.map((event) => event.status)).toEqual(['in_progress', 'completed']);
  });

  it('leaves a call that already ended alone', () => {
    expect(hangUpPlan(plan, answeredAt + 301_000, 1)).toBeNull();
  });
});

describe('simulator test numbers (+1 NPA 555 01NN)', () => {
  const statuses = (to: string, extra: Partial<Parameters<typeof planSimulatedCall>[0]> = {}) =>
    planSimulatedCall({ ...base, to, ...extra, random: () => 0 });

  it('completes 00–59 after 20 + NN seconds of talk', () => {
    for (const [nn, talk] of [
      ['00', 20],
      ['17', 37],
      ['59', 79],
    ] as const) {
      const plan = statuses(`+141555501${nn}`);
      expect(plan.outcome).toBe('completed');
      const [, , answered, completed] = plan.events;
      expect(completed).toMatchObject({ status: 'completed', durationSeconds: talk });
      expect(completed.atMs - answered.atMs).toBe(talk * 1000);
      expect(completed.hangupReason).toBe('Normal hangup');
    }
  });

  it('ends 60–69 busy, 70–79 no answer, 80–89 failed', () => {
    for (const [to, status] of [
      ['+12125550160', 'busy'],
      ['+12125550169', 'busy'],
      ['+12125550170', 'no_answer'],
      ['+12125550179', 'no_answer'],
      ['+12125550180', 'failed'],
      ['+12125550189', 'failed'],
    ] as const) {
      const plan = statuses(to);
      expect(plan.events.at(-1)).toMatchObject({ status, durationSeconds: 0 });
      expect(plan.events.some((event) => event.status === 'in_progress')).toBe(false);
    }
  });

  it('answers 90–99 and lets only the time limit (or a hang-up) end the call', () => {
    const plan = statuses('+13125550195', { timeLimitSeconds: 333, talkSeconds: 5 });
    expect(plan.events.map((event) => event.status)).toEqual([
      'initiated',
      'ringing',
      'in_progress',
      'completed',
    ]);
    expect(plan.events.at(-1)).toMatchObject({
      durationSeconds: 333,
      hangupReason: 'Time limit reached',
    });
    const hungUp = hangUpPlan(plan, plan.events[2].atMs + 10_000, 1)!;
    expect(hungUp.end).toMatchObject({ status: 'completed', durationSeconds: 10 });
  });

  it('lets an explicit scenario win over the number', () => {
    expect(statuses('+12125550160', { scenario: 'completed', talkSeconds: 3 }).outcome).toBe(
      'completed',
    );
    expect(statuses('+12125550105', { scenario: 'busy' }).outcome).toBe('busy');
  });

  it('keeps the random odds for any other number', () => {
    expect(testNumberOutcome('+12125550100')).toEqual({ outcome: 'completed', talkSeconds: 20 });
    for (const other of [
      '+12125551234',
      '+12125550200',
      '+11125550150',
      '+919876543210',
      '+1212555010',
    ]) {
      expect(testNumberOutcome(other)).toBeNull();
    }
    // random() => 0 picks the first of the odds (completed) with 5 s of talk, not a number's choice.
    const plan = statuses('+12125551234');
    expect(plan.outcome).toBe('completed');
    expect(plan.events.at(-1)!.durationSeconds).toBe(5);
  });
});
