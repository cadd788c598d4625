import { decideTransition, isTerminal, statusRank } from './call-status';

describe('call status state machine', () => {
  it('applies only a higher rank', () => {
    expect(decideTransition('initiated', 'ringing')).toBe('applied');
    expect(decideTransition('ringing', 'completed')).toBe('applied');
    expect(decideTransition('in_progress', 'ringing')).toBe('lower_rank');
    expect(decideTransition('ringing', 'ringing')).toBe('same_status');
  });

  it('never changes a terminal status', () => {
    for (const terminal of ['completed', 'busy', 'no_answer', 'failed', 'cancelled'] as const) {
      expect(isTerminal(terminal)).toBe(true);
      expect(decideTransition(terminal, 'in_progress')).toBe('already_terminal');
      expect(decideTransition(terminal, 'failed')).toBe('already_terminal');
    }
  });

  it('applies nothing for an unknown status', () => {
    expect(decideTransition('initiated', null)).toBe('unknown_status');
  });

  it('refuses an event older than the last applied sequence', () => {
    expect(decideTransition('ringing', 'in_progress', { event: 1, lastApplied: 2 })).toBe(
      'older_sequence',
    );
    expect(decideTransition('ringing', 'in_progress', { event: 3, lastApplied: 2 })).toBe(
      'applied',
    );
  });

  it('ranks statuses as the design says', () => {
    expect([
      statusRank('initiated'),
      statusRank('ringing'),
      statusRank('in_progress'),
      statusRank('busy'),
    ]).toEqual([0, 1, 2, 3]);
  });
});
