import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { AppConfig } from '../../../config/app-config';
import { LoggedWorkerHost } from '../../../queue/logged-worker-host';
import { QueueName } from '../../../queue/queue-name';
import { SimulatorDeliveryJob } from './simulator.adapter';
import { standardWebhookHeaders } from './simulator-signature';

/** Worker side of the simulator: POSTs each scheduled webhook to the ingress, signed, over HTTP. */
@Processor(QueueName.Simulator, { concurrency: 32 })
export class SimulatorDeliveryProcessor extends LoggedWorkerHost {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async process(job: Job<SimulatorDeliveryJob>): Promise<void> {
    const body = JSON.stringify(job.data.body);
    const url = new URL('/api/webhooks/simulator', this.config.PUBLIC_BASE_URL).toString();
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Switchboard-Simulator/1.0',
          ...standardWebhookHeaders(
            this.config.SIMULATOR_WEBHOOK_SECRET!,
            job.data.webhookId,
            body,
          ),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      // Like a real provider: retried with backoff. Usually PUBLIC_BASE_URL names no running api.
      const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      this.logger.warn(
        `simulator webhook ${job.data.webhookId} could not reach ${url} (${cause}); is PUBLIC_BASE_URL this api's address?`,
      );
      throw error;
    }
    if (!response.ok) {
      // Like a real provider: a non-2xx answer is retried (BullMQ backoff).
      const text = await response.text().catch(() => '');
      this.logger.warn(
        `simulator webhook ${job.data.webhookId} answered ${response.status}: ${text.slice(0, 200)}`,
      );
      throw new Error(`ingress answered ${response.status}`);
    }
  }
}
