import { timingSafeEqual } from 'node:crypto';
import { ProviderApiError } from './provider-adapter';

/**
 * HTTP plumbing shared by the provider adapters: outbound API requests with a timeout
 * (Node's global fetch), and small helpers to read inbound webhook requests.
 */

export const PROVIDER_HTTP_TIMEOUT_MS = 10_000;

export interface ProviderHttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export interface ProviderHttpResponse {
  status: number;
  ok: boolean;
  /** The parsed body when it is JSON, otherwise undefined. */
  json: unknown;
  text: string;
}

/**
 * Sends one request to a provider's API. Network failures and timeouts become a
 * ProviderApiError naming the provider; any HTTP answer (2xx or not) is returned as is.
 */
export async function providerFetch(
  provider: string,
  request: ProviderHttpRequest,
): Promise<ProviderHttpResponse> {
  const timeoutMs = request.timeoutMs ?? PROVIDER_HTTP_TIMEOUT_MS;
  const target = describeTarget(request.method, request.url);
  let response: Response;
  let text: string;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const timedOut = errorField(error, 'name') === 'TimeoutError';
    const reason = timedOut ? `no answer within ${timeoutMs} ms` : networkReason(error);
    throw new ProviderApiError(`${provider} API request ${target} failed: ${reason}`);
  }
  return { status: response.status, ok: response.ok, json: parseJson(text), text };
}

/** A ProviderApiError for a non-2xx answer, naming the status and the provider's own message. */
export function providerHttpError(
  provider: string,
  action: string,
  response: ProviderHttpResponse,
): ProviderApiError {
  const detail = providerErrorMessage(response);
  return new ProviderApiError(
    `${provider} API ${action} failed with HTTP ${response.status}${detail ? `: ${detail}` : ''}`,
    response.status,
  );
}

/** The message a provider put in an error body (Twilio, Exotel RestException, Bolna, generic). */
export function providerErrorMessage(response: ProviderHttpResponse): string | undefined {
  const body = response.json;
  if (isRecord(body)) {
    const rest = body.RestException;
    const candidates = [
      isRecord(rest) ? rest.Message : undefined,
      body.message,
      body.detail,
      body.error_message,
      isRecord(body.error) ? body.error.message : body.error,
    ];
    for (const candidate of candidates) {
      if (typeof candidate === 'string' && candidate.trim()) return candidate.trim();
      if (Array.isArray(candidate) && candidate.length) return JSON.stringify(candidate);
    }
  }
  const text = response.text.trim();
  return text ? text.slice(0, 300) : undefined;
}

export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** A base URL without its trailing slashes, so paths can be appended with one `/`. */
export function trimBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Case-insensitive header lookup; the first value when the header came several times. */
export function headerValue(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/**
 * Compares a received secret with the expected one in constant time. Different lengths are
 * refused before comparing (timingSafeEqual needs equal lengths; the length is not the secret).
 */
export function secretMatches(received: string | undefined, expected: string | undefined): boolean {
  if (!received || !expected) return false;
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function networkReason(error: unknown): string {
  const message = errorField(error, 'message') ?? String(error);
  // undici reports "fetch failed" and puts the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`.
  const cause = isRecord(error) ? error.cause : undefined;
  const causeText = errorField(cause, 'code') ?? errorField(cause, 'message');
  return causeText && causeText !== message ? `${message} (${causeText})` : message;
}

/**
 * A string property of a thrown value. Read by name rather than with `instanceof Error`: fetch
 * errors (DOMException, undici's TypeError) may come from another realm, e.g. under Jest.
 */
function errorField(error: unknown, field: 'name' | 'message' | 'code'): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const value = (error as Record<string, unknown>)[field];
  return typeof value === 'string' && value ? value : undefined;
}

/** Method and URL without credentials or query string, for error messages. */
function describeTarget(method: string, url: string): string {
  try {
    const parsed = new URL(url);
    return `${method} ${parsed.origin}${parsed.pathname}`;
  } catch {
    return method;
  }
}

/**
 * A webhook or API field as trimmed text: strings as sent, numbers printed, anything else
 * (null, '', objects) undefined. Form bodies carry strings, JSON bodies numbers and null.
 */
export function textField(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
