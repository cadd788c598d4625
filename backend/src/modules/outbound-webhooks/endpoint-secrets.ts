import { createHmac, randomBytes } from 'node:crypto';

/** A new Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export function newEndpointSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed by the secret's decoded bytes. */
export function signatureFor(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * The Standard Webhooks headers of one attempt. During a rotation every valid secret signs
 * (space-separated signatures), so a receiver holding either the old or the new secret verifies.
 */
export function signedHeaders(
  secrets: string[],
  id: string,
  body: string,
  now = Date.now(),
): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets
      .map((secret) => signatureFor(secret, id, timestamp, body))
      .join(' '),
  };
}

/** `whsec_abcd…wxyz`: enough to recognize a secret, not to use it. */
export function maskSecret(secret: string): string {
  const raw = secret.replace(/^whsec_/, '');
  return `whsec_${raw.slice(0, 4)}…${raw.slice(-4)}`;
}
