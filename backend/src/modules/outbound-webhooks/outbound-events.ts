/** The events an organization's endpoints can subscribe to (docs/outbound-webhooks.md). */
export const OUTBOUND_EVENT_TYPES = [
  'call.created',
  'call.updated',
  'call.completed',
  'call.outcome',
  'campaign.updated',
  'wallet.low_balance',
  'payment.succeeded',
] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

export const isOutboundEventType = (value: unknown): value is OutboundEventType =>
  (OUTBOUND_EVENT_TYPES as readonly unknown[]).includes(value);
