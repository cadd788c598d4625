import {
  CampaignFormValue,
  audienceText,
  bucketLabel,
  delayText,
  isTimeZone,
  pauseReasonText,
  percentText,
  progressPercent,
  toNewCampaign,
} from './campaign-format';

const form = (overrides: Partial<CampaignFormValue> = {}): CampaignFormValue => ({
  name: '  December renewals ',
  audienceMode: 'tag',
  tag: ' leads-dec ',
  contactIds: [],
  provider: 'simulator',
  bolnaAgentId: '',
  callerId: '',
  startMode: 'now',
  startAt: '',
  zoneMode: 'callee',
  timeZone: '',
  windows: [],
  maxConcurrent: 5,
  perMinute: 60,
  retryOn: ['busy', 'no_answer'],
  maxAttempts: 3,
  retryDelayMinutes: 10,
  ...overrides,
});

describe('campaign-format', () => {
  it('builds the API body from the form: trimmed, only what was chosen', () => {
    expect(toNewCampaign(form())).toEqual({
      name: 'December renewals',
      provider: 'simulator',
      audience: { tag: 'leads-dec' },
      schedule: {},
      pacing: { maxConcurrent: 5, perMinute: 60 },
      retry: { on: ['busy', 'no_answer'], maxAttempts: 3, delaySeconds: 600 },
    });
  });

  it('explicit contacts, Bolna agent, caller ID, start, zone and windows (days sorted)', () => {
    const body = toNewCampaign(
      form({
        audienceMode: 'contacts',
        contactIds: ['a', 'b'],
        provider: 'bolna',
        bolnaAgentId: ' agent-7 ',
        callerId: '+14155550142',
        startMode: 'at',
        startAt: '2030-01-02T09:30',
        zoneMode: 'fixed',
        timeZone: 'Asia/Kolkata',
        windows: [{ days: [5, 1, 3], start: '09:00', end: '12:00' }],
        perMinute: null,
        maxAttempts: 1,
      }),
    );
    expect(body.audience).toEqual({ contactIds: ['a', 'b'] });
    expect(body.bolnaAgentId).toBe('agent-7');
    expect(body.callerId).toBe('+14155550142');
    expect(body.schedule).toEqual({
      startAt: new Date('2030-01-02T09:30').toISOString(),
      timeZone: 'Asia/Kolkata',
      windows: [{ days: [1, 3, 5], start: '09:00', end: '12:00' }],
    });
    expect(body.pacing).toEqual({ maxConcurrent: 5 });
    // One attempt: no retry block at all.
    expect(body.retry).toBeUndefined();
  });

  it('never sends a Bolna agent for another provider', () => {
    expect(toNewCampaign(form({ bolnaAgentId: 'stale' })).bolnaAgentId).toBeUndefined();
  });

  it('progress, rates, delays and zones as the page shows them', () => {
    expect(
      progressPercent({
        total: 8,
        pending: 3,
        inFlight: 1,
        completed: 2,
        failed: 1,
        skipped: 1,
        attempts: 5,
        spentMicros: '0',
      }),
    ).toBe(50);
    expect(
      progressPercent({
        total: 0,
        pending: 0,
        inFlight: 0,
        completed: 0,
        failed: 0,
        skipped: 0,
        attempts: 0,
        spentMicros: '0',
      }),
    ).toBe(0);
    expect(percentText(2 / 3)).toBe('67 %');
    expect(percentText(null)).toBe('—');
    expect(delayText(45)).toBe('45 s');
    expect(delayText(600)).toBe('10 min');
    expect(delayText(5400)).toBe('1 h 30 min');
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(audienceText({ tag: 'vip' })).toBe('Tag “vip”');
    expect(audienceText({ contactIds: ['a'] })).toBe('1 chosen contact');
    expect(bucketLabel('2026-12-02T10:00:00Z', 10)).toMatch(/\d{1,2}:00:00|\d{1,2}:00/);
  });

  it('says why a campaign is paused, never naming an API field', () => {
    expect(pauseReasonText({ status: 'running', pauseReason: null })).toBeNull();
    expect(pauseReasonText({ status: 'paused', pauseReason: 'manual' })).toMatch(/by an admin/);
    expect(pauseReasonText({ status: 'paused', pauseReason: 'wallet' })).toMatch(/wallet/);
    expect(pauseReasonText({ status: 'paused', pauseReason: 'suspended' })).toMatch(
      /suspended your organization/,
    );
  });
});
