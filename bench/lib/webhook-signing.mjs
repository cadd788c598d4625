// @ts-check
// Signs simulator webhooks as the simulator provider does (Standard Webhooks: HMAC-SHA256 over
// `id.timestamp.body`, keyed by the base64 secret after `whsec_`).
import { createHmac } from 'node:crypto';

/** The simulator secret the benchmarks give the product they start. */
export const BENCH_SIMULATOR_SECRET = `whsec_${Buffer.from('switchboard-simulator-development-secret').toString('base64')}`;

/**
 * The signature headers of one webhook.
 * @param {string} secret `whsec_…`
 * @param {string} id the webhook id (also in the body)
 * @param {string} body the exact bytes sent
 * @param {number} [now] ms since the epoch
 */
export function signSimulatorWebhook(secret, id, body, now = Date.now()) {
  const timestamp = Math.floor(now / 1000);
  const signature = createHmac('sha256', Buffer.from(secret.replace(/^whsec_/, ''), 'base64'))
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${signature}`,
  };
}
