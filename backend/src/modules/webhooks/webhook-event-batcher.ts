import { Injectable, Logger } from '@nestjs/common';
import { ProcessingOutcome, WebhookProcessingService } from './webhook-processing.service';

const MAX_BATCH = 200;
/**
 * One batch in flight: the jobs that arrive meanwhile form the next, larger batch. (Two in flight
 * made smaller batches: more statements per event, and a slower median at 500 webhooks/s.)
 */
const MAX_IN_FLIGHT = 1;

interface Waiting {
  eventId: string;
  resolve: (outcome: ProcessingOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Groups the webhook jobs the worker holds at the same moment into batches for
 * WebhookProcessingService.processBatch, so many events share one transaction. Each job still
 * waits for its own event's result and fails or succeeds alone: when a whole batch fails, its
 * events are retried one by one, so one bad event cannot fail its neighbours.
 */
@Injectable()
export class WebhookEventBatcher {
  private readonly logger = new Logger(WebhookEventBatcher.name);
  private waiting: Waiting[] = [];
  private inFlight = 0;
  private flushScheduled = false;

  constructor(private readonly processing: WebhookProcessingService) {}

  process(eventId: string): Promise<ProcessingOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ eventId, resolve, reject });
      if (!this.flushScheduled && this.inFlight < MAX_IN_FLIGHT) {
        this.flushScheduled = true;
        // Let the jobs that arrive in the same turn of the event loop join the batch.
        setImmediate(() => {
          this.flushScheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        this.flush();
      });
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const results = await this.processing.processBatch(batch.map((item) => item.eventId));
      for (const item of batch) settle(item, results.get(item.eventId));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      this.logger.warn(
        `a batch of ${batch.length} events failed (${(error as Error).message}); retrying them one by one`,
      );
      for (const item of batch) {
        await this.processing.processBatch([item.eventId]).then(
          (results) => settle(item, results.get(item.eventId)),
          (failure: unknown) => item.reject(failure),
        );
      }
    }
  }
}

function settle(item: Waiting, result: ProcessingOutcome | Error | undefined): void {
  if (result instanceof Error) item.reject(result);
  else if (result === undefined) item.reject(new Error(`event ${item.eventId} had no result`));
  else item.resolve(result);
}
