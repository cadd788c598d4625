import { Injectable } from '@nestjs/common';
import { MicroBatcher } from '../../common/micro-batcher';
import { ProcessingOutcome, WebhookProcessingService } from './webhook-processing.service';

/**
 * Groups the webhook jobs the worker holds at the same moment into batches for
 * WebhookProcessingService.processBatch, so many events share one transaction. Each job still
 * waits for its own event's result and fails or succeeds alone: when a whole batch fails, its
 * events are retried one by one, so one bad event cannot fail its neighbours.
 */
@Injectable()
export class WebhookEventBatcher {
  private readonly batches: MicroBatcher<string, ProcessingOutcome>;

  constructor(processing: WebhookProcessingService) {
    this.batches = new MicroBatcher({
      name: 'webhook events',
      maxBatch: 200,
      // One batch in flight: the jobs that arrive meanwhile form the next, larger batch. (Two in
      // flight made smaller batches: more statements per event, and a slower median at 500/s.)
      maxInFlight: 1,
      run: async (eventIds) => {
        const results = await processing.processBatch(eventIds);
        return eventIds.map((id) => results.get(id) ?? new Error(`event ${id} had no result`));
      },
      onBatchError: 'each-alone',
    });
  }

  process(eventId: string): Promise<ProcessingOutcome> {
    return this.batches.submit(eventId);
  }
}
