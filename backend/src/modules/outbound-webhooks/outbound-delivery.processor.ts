import { Processor } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { LoggedWorkerHost } from '../../queue/logged-worker-host';
import { QueueName } from '../../queue/queue-name';
import { DeliverWebhookJob } from './outbound-delivery-job';
import { OutboundDeliveryService } from './outbound-delivery.service';

/** Sends one attempt of an outbound webhook; a failed attempt throws so BullMQ retries with backoff. */
@Processor(QueueName.OutboundWebhooks, { concurrency: 16 })
export class OutboundDeliveryProcessor extends LoggedWorkerHost {
  constructor(private readonly deliveries: OutboundDeliveryService) {
    super();
  }

  async process(job: Job<DeliverWebhookJob>): Promise<void> {
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = await this.deliveries.attempt(job.data.deliveryId, final);
    if (outcome === 'retry') throw new Error('the endpoint did not answer 2xx; retrying');
    if (outcome === 'failed' && !final) throw new UnrecoverableError('endpoint disabled');
  }
}
