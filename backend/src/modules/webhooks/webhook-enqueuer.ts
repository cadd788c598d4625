import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { MicroBatcher } from '../../common/micro-batcher';
import { QueueName } from '../../queue/queue-name';
import { PROCESS_WEBHOOK_EVENT, ProcessWebhookEventJob } from './webhook-job';

const MAX_BATCH = 200;
/**
 * How long a request waits for its job to reach Redis. BullMQ waits for a connection that never
 * came up (Redis away since the api started) instead of failing; the row is stored by then, so
 * the request answers and the sweeper enqueues the event later.
 */
export const ENQUEUE_TIMEOUT_MS = 2000;

/**
 * Enqueues stored webhook events on BullMQ. Requests that finish their INSERT in the same turn of
 * the event loop share one `addBulk` (one Redis round trip) instead of one `add` each; every
 * caller still waits until its own job is in Redis.
 */
@Injectable()
export class WebhookEnqueuer {
  private readonly batches = new MicroBatcher<ProcessWebhookEventJob, true>({
    name: 'webhook jobs',
    maxBatch: MAX_BATCH,
    maxInFlight: Number.POSITIVE_INFINITY,
    run: async (jobs) => {
      await this.addWithin(
        ENQUEUE_TIMEOUT_MS,
        jobs.map((data) => ({
          name: PROCESS_WEBHOOK_EVENT,
          data,
          opts: { jobId: data.eventId },
        })),
      );
      return jobs.map(() => true as const);
    },
    // Redis away fails every job of the batch alike: no use trying them one by one.
    onBatchError: 'all-fail',
  });

  constructor(
    @InjectQueue(QueueName.WebhookEvents) private readonly queue: Queue<ProcessWebhookEventJob>,
  ) {}

  async enqueue(job: ProcessWebhookEventJob): Promise<void> {
    await this.batches.submit(job);
  }

  private async addWithin(
    ms: number,
    jobs: Parameters<Queue<ProcessWebhookEventJob>['addBulk']>[0],
  ): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not take the jobs within ${ms} ms`)),
        ms,
      );
    });
    try {
      // A lone job skips addBulk's pipeline, whose set-up (a copy of every BullMQ script onto it)
      // cost more CPU than the job itself at low rates.
      const added =
        jobs.length === 1
          ? this.queue.add(jobs[0].name, jobs[0].data, jobs[0].opts)
          : this.queue.addBulk(jobs);
      await Promise.race([added, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
