import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** The path of the first string (key or value) holding a NUL ('' for `value` itself), walked without recursion. */
export function findNul(value: unknown, root: string): string | undefined {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return path;
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index -= 1)
        stack.push([current[index], `${path}[${index}]`]);
    } else if (
      current &&
      typeof current === 'object' &&
      // Parsed JSON, forms and query strings (Fastify's have a prototype of their own without
      // Object.prototype); a stream body (CSV import) or a buffer is not walked.
      typeof (current as { pipe?: unknown }).pipe !== 'function' &&
      !ArrayBuffer.isView(current)
    ) {
      for (const [key, item] of Object.entries(current).reverse()) {
        const child = path ? `${path}.${key}` : key;
        if (key.includes('\u0000')) return child.replaceAll('\u0000', '\\0');
        stack.push([item, child]);
      }
    }
  }
  return undefined;
}

/**
 * PostgreSQL text cannot hold NUL: one reaching a query fails the statement (a 500). Every body,
 * query string and path parameter is checked here, once for all routes, before validation, so
 * the 400 names the field. (Webhooks read the raw request and keep NUL as U+FFFD instead.)
 */
@Injectable()
export class RejectNulCharactersPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const path = findNul(value, metadata.data ?? '');
    if (path !== undefined)
      throw new BadRequestException(
        `${path || metadata.type} must not contain NUL (\\u0000) characters`,
      );
    return value;
  }
}
