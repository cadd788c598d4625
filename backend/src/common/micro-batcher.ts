import { Logger } from '@nestjs/common';

export interface MicroBatcherOptions<T, R> {
  /** What the batches are of, for the log line when one fails. */
  name: string;
  maxBatch: number;
  /** Batches running at once; items that arrive meanwhile wait and form the next batch. */
  maxInFlight: number;
  /** Runs one batch; returns each item's result (or the Error that item alone fails with), in order. */
  run(items: T[]): Promise<(R | Error)[]>;
  /**
   * When a whole batch throws: `each-alone` runs its items again one at a time, so one bad item
   * fails only itself; `all-fail` fails them all with the batch's error (when running them alone
   * could only fail the same way, e.g. Redis is away).
   */
  onBatchError: 'each-alone' | 'all-fail';
}

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the items submitted in the same turn of the event loop (or while earlier batches run)
 * into batches, so concurrent callers share one round trip; each caller still waits for, and gets,
 * its own item's result.
 */
export class MicroBatcher<T, R> {
  private readonly logger: Logger;
  private waiting: Waiting<T, R>[] = [];
  private inFlight = 0;
  private flushScheduled = false;

  constructor(private readonly options: MicroBatcherOptions<T, R>) {
    this.logger = new Logger(`MicroBatcher(${options.name})`);
  }

  submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.waiting.length === 0) return;
    if (this.inFlight >= this.options.maxInFlight) return; // the running batch flushes when done
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.inFlight += 1;
      void this.runBatch(batch).finally(() => {
        this.inFlight -= 1;
        this.flush(); // what waited meanwhile goes at once
      });
    }
  }

  private async runBatch(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await this.options.run(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, index) => settle(waiting, results, index));
    } catch (error) {
      if (batch.length === 1 || this.options.onBatchError === 'all-fail') {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      this.logger.warn(
        `a batch of ${batch.length} failed (${(error as Error).message}); running them one by one`,
      );
      for (const waiting of batch) {
        await this.options.run([waiting.item]).then(
          (results) => settle(waiting, results, 0),
          (failure: unknown) => waiting.reject(failure),
        );
      }
    }
  }
}

function settle<T, R>(waiting: Waiting<T, R>, results: (R | Error)[], index: number): void {
  const result = results[index];
  if (index >= results.length) waiting.reject(new Error('the batch returned no result for it'));
  else if (result instanceof Error) waiting.reject(result);
  else waiting.resolve(result);
}
