import { BadRequestException } from '@nestjs/common';

/** Opaque keyset cursors: base64url of the last row's sort key. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** What each position of a cursor holds; checked before it reaches SQL, where a bad value is a 500. */
export type CursorPart = 'timestamp' | 'uuid' | 'text';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** ISO 8601 as `Date#toISOString` writes it (what encodeCursor was given). */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

function valid(value: unknown, part: CursorPart): boolean {
  if (typeof value !== 'string' || value.includes('\u0000')) return false;
  if (part === 'uuid') return UUID.test(value);
  if (part === 'timestamp') return ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
  return value.length <= 1000;
}

/** The values of a cursor from `encodeCursor`, or a 400 when it is anything else. */
export function decodeCursor(cursor: string, parts: CursorPart[]): string[] {
  if (BASE64URL.test(cursor)) {
    try {
      const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
      if (
        Array.isArray(values) &&
        values.length === parts.length &&
        values.every((value, index) => valid(value, parts[index]))
      )
        return values as string[];
    } catch {
      // fall through
    }
  }
  throw new BadRequestException('cursor is invalid: use the nextCursor of a previous page');
}
