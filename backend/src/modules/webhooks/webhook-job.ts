import type { CallKeys } from '../calls/call-progress.service';

/** Payload of a `webhook-events` job: the stored event to process (its id is also the job id). */
export interface ProcessWebhookEventJob {
  eventId: string;
  /**
   * The keys of the event's call as the ingress read them, so the worker can lock the call in the
   * same round trip as the event. A hint only: the worker reads the stored event again and looks
   * the call up itself when the hint is absent (sweeper, replay) or names other keys than it reads.
   */
  call?: CallKeys;
}

export const PROCESS_WEBHOOK_EVENT = 'process-webhook-event';
