import { describeOutcome } from './call-event-outcome';

describe('describeOutcome', () => {
  it('says in plain words what each event did', () => {
    const label = (outcome: string, applied = false) => describeOutcome(outcome, applied).label;
    expect(label('applied', true)).toBe('Applied');
    expect(label('same_status')).toBe('No change – already in this status');
    expect(label('lower_rank')).toBe('Late – lower rank');
    expect(label('already_terminal')).toBe('Ignored – call already ended');
    expect(label('older_sequence')).toBe('Out of order – older sequence');
    expect(label('unknown_status')).toBe('Unknown status');
    expect(label('some_new_outcome')).toBe('Some new outcome');
  });

  it('notes late facts that enriched the call, whether or not the status applied', () => {
    expect(describeOutcome('applied+enriched', true)).toEqual({
      label: 'Applied + facts added',
      tone: 'applied',
      enriched: true,
    });
    expect(describeOutcome('already_terminal+enriched', false)).toEqual({
      label: 'Ignored – call already ended + facts added',
      tone: 'enriched',
      enriched: true,
    });
    expect(describeOutcome('unknown_status', false).tone).toBe('warning');
    expect(describeOutcome('same_status', false).tone).toBe('ignored');
  });

  it('names the entries Switchboard records itself: hang-up requests and call-quality warnings', () => {
    expect(describeOutcome('hangup_requested', false)).toEqual({
      label: 'Hang-up asked of the provider',
      tone: 'action',
      enriched: false,
      local: true,
      icon: 'call_end',
    });
    expect(describeOutcome('hangup_failed', false)).toMatchObject({
      label: 'Hang-up failed – the call went on',
      tone: 'warning',
      local: true,
    });
    expect(describeOutcome('quality_warning', false)).toMatchObject({
      tone: 'warning',
      local: true,
    });
    expect(describeOutcome('quality_warning_cleared', false).label).toBe('Call quality recovered');
  });
});
