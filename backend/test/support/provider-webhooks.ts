import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { simulatorSecret } from './test-secrets';
import { standardWebhookHeaders } from '../../src/modules/providers/simulator/simulator-signature';

export interface PostResult {
  status: number;
  body: any;
}

async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<PostResult> {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // TwiML or empty
  }
  return { status: response.status, body: parsed };
}

/** POSTs a simulator webhook signed exactly as the simulator provider signs it. */
export function postSimulatorWebhook(
  baseUrl: string,
  body: Record<string, unknown>,
  options: { secret?: string; webhookId?: string } = {},
): Promise<PostResult> {
  const raw = JSON.stringify(body);
  const id = options.webhookId ?? String(body.id ?? randomUUID());
  return post(
    `${baseUrl}/api/webhooks/simulator`,
    {
      'content-type': 'application/json',
      ...standardWebhookHeaders(options.secret ?? simulatorSecret(), id, raw),
    },
    raw,
  );
}

export function simulatorEvent(
  providerCallId: string,
  status: string,
  extra: Record<string, unknown> = {},
) {
  return {
    id: `msg_${providerCallId}_${status}_${randomUUID().slice(0, 6)}`,
    call_id: providerCallId,
    status,
    occurred_at: new Date().toISOString(),
    ...extra,
  };
}

export const TEST_TWILIO = {
  TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
  TWILIO_AUTH_TOKEN: 'test-auth-token-12345',
};

/** POSTs a form-encoded Twilio callback; `signFor` is the URL the signature is computed over (defaults to the real one). */
export function postTwilioStatus(
  baseUrl: string,
  publicBaseUrl: string,
  path: string,
  params: Record<string, string>,
  options: { signature?: string | null; signFor?: string } = {},
): Promise<PostResult> {
  const signature =
    options.signature === undefined
      ? twilio.getExpectedTwilioSignature(
          TEST_TWILIO.TWILIO_AUTH_TOKEN,
          options.signFor ?? `${publicBaseUrl}${path}`,
          params,
        )
      : options.signature;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (signature !== null) headers['x-twilio-signature'] = signature;
  return post(`${baseUrl}${path}`, headers, new URLSearchParams(params).toString());
}
