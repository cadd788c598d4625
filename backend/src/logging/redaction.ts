import type { DestinationStream } from 'pino';

export const REDACTED = '[redacted]';

/** Query parameters whose value is a credential (Exotel's `?token=`, signatures, keys, passwords). */
const SECRET_PARAMETER =
  /token|secret|signature|sig$|passw|pwd|key|auth|jwt|credential|session|code/i;

/** A JSON Web Token (header.payload.signature, base64url): access tokens, Twilio Voice tokens. */
const JWT = /eyJ[\w-]{5,}\.eyJ[\w-]{5,}\.[\w-]+/g;

/** Headers never logged as they are (pino `redact` paths, for any object that carries headers). */
const SECRET_HEADERS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-twilio-signature',
  'webhook-signature',
  'stripe-signature',
  'x-api-key',
  'idempotency-key',
];

/** Paths pino removes from every logged object before it is written. */
export const REDACT_PATHS = [
  ...SECRET_HEADERS.flatMap((name) => [
    `req.headers["${name}"]`,
    `headers["${name}"]`,
    `*.headers["${name}"]`,
  ]),
  ...['password', 'accessToken', 'token', 'secret', 'apiKey'].flatMap((key) => [key, `*.${key}`]),
];

/** The path and query of a request with the values of credential-like parameters replaced. */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url.replace(JWT, REDACTED);
  const query = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 0) return pair;
      let name = pair.slice(0, equals);
      try {
        name = decodeURIComponent(name);
      } catch {
        // a malformed escape: judge the name as it is
      }
      return SECRET_PARAMETER.test(name) ? `${pair.slice(0, equals)}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, start)}?${query}`.replace(JWT, REDACTED);
}

/** The password of a connection URL (postgres://user:password@host), if it has one. */
function urlPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The configured values that must never be written to a log: every setting named like a secret,
 * token or key, and the passwords inside connection URLs.
 */
export function configuredSecrets(config: object): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(config)) {
    if (typeof value !== 'string') continue;
    if (/SECRET|TOKEN|API_KEY|PASSWORD/.test(name) && !/_(URL|SID)$/.test(name)) values.push(value);
    if (/_URL$/.test(name)) {
      const password = urlPassword(value);
      if (password) values.push(password);
    }
  }
  return values;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces every configured secret (as written, JSON-escaped or URL-encoded) and every JWT in a
 * serialized log line. The last line of defence: it also covers messages and stacks, which
 * pino's `redact` paths cannot reach.
 */
export function lineScrubber(secrets: string[]): (line: string) => string {
  const variants = new Set<string>();
  for (const secret of secrets) {
    // Very short values would blank out ordinary words; a real secret is never that short.
    if (secret.length < 8) continue;
    variants.add(secret);
    variants.add(JSON.stringify(secret).slice(1, -1));
    variants.add(encodeURIComponent(secret));
  }
  const patterns = [...variants]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .concat(JWT.source);
  const pattern = new RegExp(patterns.join('|'), 'g');
  return (line) => line.replace(pattern, REDACTED);
}

/** A pino destination that scrubs each line before passing it on. */
export function scrubbingDestination(
  destination: DestinationStream,
  secrets: string[],
): DestinationStream {
  const scrub = lineScrubber(secrets);
  return { write: (line: string) => destination.write(scrub(line)) };
}
