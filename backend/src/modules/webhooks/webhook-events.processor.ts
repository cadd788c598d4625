import { Processor } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { LoggedWorkerHost } from '../../queue/logged-worker-host';
import { QueueName } from '../../queue/queue-name';
import { ProcessWebhookEventJob } from './webhook-job';
import { WebhookEventBatcher } from './webhook-event-batcher';
import { ProcessingOutcome, WebhookProcessingService } from './webhook-processing.service';

/**
 * Worker side of the pipeline: unpacks the job and hands its event to the batcher (the jobs held at
 * the same moment are processed together; WEBHOOK_WORKER_CONCURRENCY bounds how many).
 * The lock duration bounds how long a job held by a killed worker stays stalled before another
 * worker takes it over (WEBHOOK_JOB_LOCK_MS, read at class definition because BullMQ needs it then).
 */
@Processor(QueueName.WebhookEvents, {
  concurrency: 16,
  lockDuration: Number(process.env.WEBHOOK_JOB_LOCK_MS ?? 30_000),
  stalledInterval: Number(process.env.WEBHOOK_JOB_LOCK_MS ?? 30_000),
})
export class WebhookEventsProcessor extends LoggedWorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly processing: WebhookProcessingService,
    private readonly batcher: WebhookEventBatcher,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap() {
    this.worker.concurrency = this.config.WEBHOOK_WORKER_CONCURRENCY;
  }

  async process(job: Job<ProcessWebhookEventJob>): Promise<ProcessingOutcome> {
    try {
      return await this.batcher.process(job.data);
    } catch (error) {
      const final =
        error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await this.processing.recordFailure(job.data.eventId, error, final);
      throw error;
    }
  }
}
