import { BadRequestException } from '@nestjs/common';

/** Opaque keyset cursors: base64url of the last row's sort key. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === arity) return values as (string | number)[];
  } catch {
    // fall through
  }
  throw new BadRequestException('cursor is not valid: use the nextCursor of a previous page');
}
