import { actionLabel, auditChanges, fieldLabel, formatValue, targetLabel } from './audit-format';

describe('audit format', () => {
  it('names known actions and reads unknown ones as words', () => {
    expect(actionLabel('user.role_changed')).toBe('Changed a user’s role');
    expect(actionLabel('webhook_endpoint.created')).toBe('Added a webhook endpoint');
    expect(actionLabel('some_future.thing_done')).toBe('some future thing done');
  });

  it('labels fields and formats values for people', () => {
    expect(fieldLabel('timeZone')).toBe('Time zone');
    expect(fieldLabel('someNewField')).toBe('Some new field');
    expect(formatValue('balanceMicros', '5000000')).toBe('$5.00');
    expect(formatValue('amountMicros', '1234567890')).toBe('$1,234.57');
    expect(formatValue('active', false)).toBe('No');
    expect(formatValue('revokedAt', '2026-03-02T10:00:00.000Z')).toMatch(/Mar 2, 2026/);
    expect(targetLabel('api_key')).toBe('API key');
    expect(formatValue('reason', null)).toBe('—');
    expect(formatValue('retryOn', ['busy', 'no_answer'])).toBe('busy, no_answer');
    expect(formatValue('rates', [{ prefix: '1' }, { prefix: '44' }])).toBe('2 items');
    expect(formatValue('owner', { email: 'o@x.test', name: 'Olivia' })).toBe(
      'Email: o@x.test · Name: Olivia',
    );
  });

  it('puts changed fields first and marks them', () => {
    const rows = auditChanges(
      { email: 'a@x.test', role: 'agent', active: true },
      { email: 'a@x.test', role: 'admin', active: true },
    );
    expect(rows.map((row) => [row.label, row.before, row.after, row.changed])).toEqual([
      ['Role', 'agent', 'admin', true],
      ['Email', 'a@x.test', 'a@x.test', false],
      ['Active', 'Yes', 'Yes', false],
    ]);
  });

  it('shows a creation with no before and a removal with no after', () => {
    expect(auditChanges(null, { phone: '+14155550100' })).toEqual([
      { field: 'phone', label: 'Phone', before: '', after: '+14155550100', changed: true },
    ]);
    expect(auditChanges({ phone: '+14155550100' }, null)[0]).toMatchObject({
      before: '+14155550100',
      after: '',
    });
  });
});
