import { InjectQueue, Processor } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { LoggedWorkerHost } from '../../queue/logged-worker-host';
import { QueueName } from '../../queue/queue-name';
import { CallRollupsService } from '../calls/call-rollups';
import { WebhookMaintenanceService } from './webhook-maintenance.service';

export const SWEEP_WEBHOOK_EVENTS = 'sweep-webhook-events';
export const RECONCILE_CALLS = 'reconcile-calls';
export const COMPACT_CALL_ROLLUPS = 'compact-call-rollups';

/**
 * Runs the sweeper every 30 s, reconciliation every minute and the roll-ups' compaction every 10 s
 * (BullMQ job schedulers: one run at a time cluster-wide).
 */
@Processor(QueueName.Maintenance)
export class MaintenanceProcessor extends LoggedWorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly maintenance: WebhookMaintenanceService,
    private readonly rollups: CallRollupsService,
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap() {
    await this.queue.upsertJobScheduler(
      SWEEP_WEBHOOK_EVENTS,
      { every: 30_000 },
      { name: SWEEP_WEBHOOK_EVENTS },
    );
    await this.queue.upsertJobScheduler(
      RECONCILE_CALLS,
      { every: 60_000 },
      { name: RECONCILE_CALLS },
    );
    // Readers add the deltas not folded yet: this bounds how many they read, not their accuracy.
    await this.queue.upsertJobScheduler(
      COMPACT_CALL_ROLLUPS,
      { every: 10_000 },
      { name: COMPACT_CALL_ROLLUPS },
    );
  }

  async process(job: Job): Promise<number> {
    switch (job.name) {
      case SWEEP_WEBHOOK_EVENTS:
        return this.maintenance.sweep();
      case RECONCILE_CALLS:
        return this.maintenance.reconcile();
      case COMPACT_CALL_ROLLUPS:
        return this.rollups.compact();
      default:
        throw new Error(`unknown maintenance job ${job.name}`);
    }
  }
}
