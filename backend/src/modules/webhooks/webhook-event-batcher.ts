import { Injectable } from '@nestjs/common';
import { MicroBatcher } from '../../common/micro-batcher';
import { ProcessWebhookEventJob } from './webhook-job';
import { ProcessingOutcome, WebhookProcessingService } from './webhook-processing.service';

/**
 * Groups the webhook jobs the worker holds at the same moment into batches for
 * WebhookProcessingService.processBatch, so many events share one transaction. Each job still
 * waits for its own event's result and fails or succeeds alone: when a whole batch fails, its
 * events are retried one by one, so one bad event cannot fail its neighbours.
 */
@Injectable()
export class WebhookEventBatcher {
  private readonly batches: MicroBatcher<ProcessWebhookEventJob, ProcessingOutcome>;

  constructor(processing: WebhookProcessingService) {
    this.batches = new MicroBatcher({
      name: 'webhook events',
      maxBatch: 200,
      // One batch in flight: the jobs that arrive meanwhile form the next, larger batch. (Two in
      // flight made smaller batches: more statements per event, and a slower median at 500/s.)
      maxInFlight: 1,
      run: async (jobs) => {
        const results = await processing.processBatch(jobs);
        return jobs.map(
          ({ eventId }) => results.get(eventId) ?? new Error(`event ${eventId} had no result`),
        );
      },
      onBatchError: 'each-alone',
    });
  }

  process(job: ProcessWebhookEventJob): Promise<ProcessingOutcome> {
    return this.batches.submit(job);
  }
}
