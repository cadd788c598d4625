import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { CALL_STATUSES, CallStatus } from '../../core/calls/call';
import { CallStatusChip } from './call-status-chip';

@Component({
  imports: [CallStatusChip],
  template: `<sb-call-status-chip [status]="status()" />`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class Host {
  readonly status = signal<CallStatus>('initiated');
}

describe('CallStatusChip', () => {
  async function render(status: CallStatus): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(Host);
    fixture.componentInstance.status.set(status);
    await fixture.whenStable();
    return (fixture.nativeElement as HTMLElement).querySelector<HTMLElement>(
      'sb-call-status-chip',
    )!;
  }

  it('labels every status in plain words', async () => {
    const labels: string[] = [];
    for (const status of CALL_STATUSES) labels.push((await render(status)).textContent!.trim());
    expect(labels).toEqual([
      'Initiated',
      'Ringing',
      'In progress',
      'Completed',
      'Busy',
      'No answer',
      'Failed',
      'Cancelled',
    ]);
  });

  it('exposes the status and pulses only while the call is live', async () => {
    const ringing = await render('ringing');
    expect(ringing.getAttribute('data-status')).toBe('ringing');
    expect(ringing.classList).toContain('tone-ringing');
    expect(ringing.classList).toContain('live');

    const failed = await render('failed');
    expect(failed.classList).toContain('tone-failed');
    expect(failed.classList).not.toContain('live');
  });
});
