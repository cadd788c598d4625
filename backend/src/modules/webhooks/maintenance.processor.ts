import { InjectQueue, Processor } from '@nestjs/bullmq';
import { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { LoggedWorkerHost } from '../../queue/logged-worker-host';
import { QueueName } from '../../queue/queue-name';
import { CallRollupsService } from '../calls/call-rollups';
import { RecordingRetentionService } from '../recordings/recording-retention.service';
import { WebhookMaintenanceService } from './webhook-maintenance.service';

export const SWEEP_WEBHOOK_EVENTS = 'sweep-webhook-events';
export const RECONCILE_CALLS = 'reconcile-calls';
export const COMPACT_CALL_ROLLUPS = 'compact-call-rollups';
export const EXPIRE_RECORDINGS = 'expire-recordings';

/** Each maintenance job and how often it runs (ms). */
export const MAINTENANCE_SCHEDULES: ReadonlyArray<readonly [string, number]> = [
  [SWEEP_WEBHOOK_EVENTS, 30_000],
  [RECONCILE_CALLS, 60_000],
  // Readers add the deltas not folded yet: this bounds how many they read, not their accuracy.
  [COMPACT_CALL_ROLLUPS, 10_000],
  // Recording retention (RECORDING_RETENTION_DAYS; does nothing when 0).
  [EXPIRE_RECORDINGS, 3_600_000],
];

/**
 * Runs the sweeper every 30 s, reconciliation every minute, the roll-ups' compaction every 10 s
 * and the recordings' retention every hour
 * (BullMQ job schedulers: one run at a time cluster-wide).
 */
@Processor(QueueName.Maintenance)
export class MaintenanceProcessor
  extends LoggedWorkerHost
  implements OnApplicationBootstrap, OnModuleDestroy
{
  private checkTimer?: NodeJS.Timeout;

  constructor(
    private readonly maintenance: WebhookMaintenanceService,
    private readonly rollups: CallRollupsService,
    private readonly retention: RecordingRetentionService,
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap() {
    for (const [id, every] of MAINTENANCE_SCHEDULES)
      await this.queue.upsertJobScheduler(id, { every }, { name: id });
    // How often this worker checks that the schedules are still in Redis (tests shorten it).
    const checkEveryMs = Number(process.env.MAINTENANCE_SCHEDULE_CHECK_MS ?? 30_000);
    this.checkTimer = setInterval(() => {
      this.restoreLostSchedules().catch((error: Error) =>
        this.logger.warn(`maintenance schedules not checked: ${error.message}`),
      );
    }, checkEveryMs);
    this.checkTimer.unref();
  }

  onModuleDestroy() {
    clearInterval(this.checkTimer);
  }

  /**
   * The schedules live in Redis only. A Redis that lost its data (restarted without persistence,
   * failed over to a replica that lagged) would take the sweeper with it, and the sweeper is what
   * re-enqueues the events such a loss leaves behind: every worker puts back a schedule that is
   * gone or long overdue. Returns the ids it restored.
   */
  async restoreLostSchedules(): Promise<string[]> {
    const restored: string[] = [];
    for (const [id, every] of MAINTENANCE_SCHEDULES) {
      const scheduler = await this.queue.getJobScheduler(id);
      if (scheduler?.next !== undefined && scheduler.next > Date.now() - 2 * every) continue;
      await this.queue.upsertJobScheduler(id, { every }, { name: id });
      restored.push(id);
    }
    if (restored.length)
      this.logger.warn(
        `maintenance schedule(s) missing from Redis, restored: ${restored.join(', ')}`,
      );
    return restored;
  }

  async process(job: Job): Promise<number> {
    switch (job.name) {
      case SWEEP_WEBHOOK_EVENTS:
        return this.maintenance.sweep();
      case RECONCILE_CALLS:
        return this.maintenance.reconcile();
      case COMPACT_CALL_ROLLUPS:
        return this.rollups.compact();
      case EXPIRE_RECORDINGS:
        return this.retention.expire();
      default:
        throw new Error(`unknown maintenance job ${job.name}`);
    }
  }
}
