import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';

/**
 * A processor whose worker's errors (a lost connection, a job's key gone after a Redis restart)
 * go to the application's log; without a listener BullMQ prints them to the console unstructured.
 */
export abstract class LoggedWorkerHost extends WorkerHost {
  protected readonly logger = new Logger(this.constructor.name);

  @OnWorkerEvent('error')
  onWorkerError(error: Error) {
    this.logger.error(`worker error: ${error.message}`, error.stack);
  }
}
