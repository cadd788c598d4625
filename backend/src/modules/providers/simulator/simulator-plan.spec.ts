import { eventAt, hangUpPlan, planSimulatedCall } from './simulator-plan';

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
