import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QueueName } from '../../queue/queue-name';
import { PROCESS_WEBHOOK_EVENT, ProcessWebhookEventJob } from './webhook-job';

const MAX_BATCH = 200;
/**
 * How long a request waits for its job to reach Redis. BullMQ waits for a connection that never
 * came up (Redis away since the api started) instead of failing; the row is stored by then, so
 * the request answers and the sweeper enqueues the event later.
 */
export const ENQUEUE_TIMEOUT_MS = 2000;

interface Pending {
  eventId: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Enqueues stored webhook events on BullMQ. Requests that finish their INSERT in the same turn of
 * the event loop share one `addBulk` (one Redis round trip) instead of one `add` each; every
 * caller still waits until its own job is in Redis.
 */
@Injectable()
export class WebhookEnqueuer {
  private pending: Pending[] = [];
  private flushScheduled = false;

  constructor(
    @InjectQueue(QueueName.WebhookEvents) private readonly queue: Queue<ProcessWebhookEventJob>,
  ) {}

  enqueue(eventId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ eventId, resolve, reject });
      if (this.pending.length >= MAX_BATCH) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not take the jobs within ${ENQUEUE_TIMEOUT_MS} ms`)),
        ENQUEUE_TIMEOUT_MS,
      );
    });
    const added = this.queue.addBulk(
      batch.map(({ eventId }) => ({
        name: PROCESS_WEBHOOK_EVENT,
        data: { eventId },
        opts: { jobId: eventId },
      })),
    );
    Promise.race([added, timeout])
      .finally(() => clearTimeout(timer))
      .then(
        () => batch.forEach((item) => item.resolve()),
        (error: unknown) => batch.forEach((item) => item.reject(error)),
      );
  }
}
