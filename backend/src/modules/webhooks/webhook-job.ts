/** Payload of a `webhook-events` job: the stored event to process (its id is also the job id). */
export interface ProcessWebhookEventJob {
  eventId: string;
}

export const PROCESS_WEBHOOK_EVENT = 'process-webhook-event';
