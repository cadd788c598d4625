/** Every BullMQ queue of Switchboard. Job ids may not contain ':' nor be integer-like. */
export enum QueueName {
  WebhookEvents = 'webhook-events',
  Simulator = 'simulator',
  Maintenance = 'maintenance',
  Campaigns = 'campaigns',
  Recordings = 'recordings',
  OutboundWebhooks = 'outbound-webhooks',
}

export const ALL_QUEUES = Object.values(QueueName);
