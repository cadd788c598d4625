import { Injectable } from '@nestjs/common';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../config/app-config';

/**
 * Short-lived signed URLs of stored recordings: the console's API calls carry a bearer token, an
 * `<audio src>` cannot, so the call's detail hands out `/api/recordings/<call id>?expires&signature`
 * (HMAC-SHA256 of the call id and expiry, keyed from JWT_SECRET), valid RECORDING_URL_TTL_SECONDS.
 * It names one call's recording only, and only until it expires.
 */
@Injectable()
export class RecordingUrls {
  private readonly key: Buffer;

  constructor(private readonly config: AppConfig) {
    this.key = createHash('sha256').update(`switchboard-recordings:${config.JWT_SECRET}`).digest();
  }

  signedPath(callId: string, now = Date.now()): { url: string; expiresAt: string } {
    const expires = Math.floor(now / 1000) + this.config.RECORDING_URL_TTL_SECONDS;
    const query = new URLSearchParams({
      expires: String(expires),
      signature: this.signature(callId, expires),
    });
    return {
      url: `/api/recordings/${callId}?${query.toString()}`,
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /** Why the signature does not open this call's recording now, or null when it does. */
  refusal(
    callId: string,
    expires: string | undefined,
    signature: string | undefined,
    now = Date.now(),
  ): string | null {
    if (!expires || !signature) return 'expires and signature are required';
    if (!/^\d{1,12}$/.test(expires)) return 'expires must be a Unix time in seconds';
    const expected = Buffer.from(this.signature(callId, Number(expires)));
    const received = Buffer.from(signature);
    if (expected.length !== received.length || !timingSafeEqual(expected, received))
      return 'the signature does not match';
    if (Number(expires) * 1000 < now) return 'the link has expired: reload the call';
    return null;
  }

  private signature(callId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${callId}.${expires}`).digest('base64url');
  }
}

/**
 * A `Range` header against an object of `size` bytes: the one range it asks for, null without
 * one (the whole object), or 'unsatisfiable' (416) for a range that is malformed, asks for
 * several ranges, or lies past the end.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | 'unsatisfiable' {
  if (header === undefined || header === '') return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return 'unsatisfiable';
  if (match[1] === '') {
    // A suffix: the last N bytes.
    const length = Number(match[2]);
    if (length === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
