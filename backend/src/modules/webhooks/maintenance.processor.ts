import { InjectQueue, Processor } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { LoggedWorkerHost } from '../../queue/logged-worker-host';
import { QueueName } from '../../queue/queue-name';
import { WebhookMaintenanceService } from './webhook-maintenance.service';

export const SWEEP_WEBHOOK_EVENTS = 'sweep-webhook-events';
export const RECONCILE_CALLS = 'reconcile-calls';

/** Runs the sweeper every 30 s and reconciliation every minute (BullMQ job schedulers: one run at a time cluster-wide). */
@Processor(QueueName.Maintenance)
export class MaintenanceProcessor extends LoggedWorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly maintenance: WebhookMaintenanceService,
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
  }

  async process(job: Job): Promise<number> {
    switch (job.name) {
      case SWEEP_WEBHOOK_EVENTS:
        return this.maintenance.sweep();
      case RECONCILE_CALLS:
        return this.maintenance.reconcile();
      default:
        throw new Error(`unknown maintenance job ${job.name}`);
    }
  }
}
