import { Processor } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { LoggedWorkerHost } from '../../queue/logged-worker-host';
import { QueueName } from '../../queue/queue-name';
import { CampaignEngine } from './campaign-engine.service';
import { CampaignJob } from './campaign-jobs';

/**
 * The worker side of campaigns: scheduler ticks and contact-attempts. A short lock makes a job of
 * a worker that died run again on another worker within seconds (its state in PostgreSQL makes
 * that re-run place nothing twice).
 */
@Processor(QueueName.Campaigns, { concurrency: 16, lockDuration: 10_000, stalledInterval: 5_000 })
export class CampaignsProcessor extends LoggedWorkerHost implements OnApplicationBootstrap {
  constructor(private readonly engine: CampaignEngine) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.engine.ensureSchedulers().catch((error: Error) => {
      this.logger.warn(`campaign schedulers not restored: ${error.message}`);
    });
  }

  async process(job: Job<CampaignJob>): Promise<void> {
    const data = job.data;
    if (data.kind === 'tick') await this.engine.tick(data.campaignId);
    else await this.engine.attempt(data.campaignId, data.attemptId);
  }
}
