/** Job of the outbound-webhooks queue: one attempt (BullMQ retries) of one delivery. */
export const DELIVER_WEBHOOK = 'deliver';

export interface DeliverWebhookJob {
  deliveryId: string;
}

/** Options of a delivery job: the attempts and exponential backoff of the configuration. */
export function deliveryJobOptions(
  config: { OUTBOUND_WEBHOOK_ATTEMPTS: number; OUTBOUND_WEBHOOK_RETRY_DELAY_MS: number },
  jobId: string,
) {
  return {
    jobId,
    attempts: config.OUTBOUND_WEBHOOK_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.OUTBOUND_WEBHOOK_RETRY_DELAY_MS },
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 24 * 3600 },
  };
}
