import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { QueueName } from '../../queue/queue-name';

export interface CopyRecordingJob {
  callId: string;
}

/** Enqueues the copy of a call's recording (one job per call: its id is the job id). */
@Injectable()
export class RecordingJobs {
  private readonly logger = new Logger(RecordingJobs.name);

  constructor(
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Recordings) private readonly queue: Queue<CopyRecordingJob>,
  ) {}

  /** Never throws: a recording left pending is enqueued again by the maintenance sweep. */
  async enqueue(callIds: string[]): Promise<void> {
    if (callIds.length === 0) return;
    try {
      await this.queue.addBulk(
        callIds.map((callId) => ({
          name: 'copy',
          data: { callId },
          opts: {
            jobId: `recording-${callId}`,
            attempts: this.config.RECORDING_COPY_ATTEMPTS,
            backoff: { type: 'exponential', delay: this.config.RECORDING_RETRY_DELAY_MS },
          },
        })),
      );
    } catch (error) {
      this.logger.warn(
        `recordings of ${callIds.length} calls stored but not enqueued: ${(error as Error).message}`,
      );
    }
  }
}
