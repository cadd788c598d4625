import { parse as parseQueryString } from 'node:querystring';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';

/** Set on a webhook request whose body could not be parsed; the ingress keeps it as rejected. */
export const UNPARSEABLE_BODY = Symbol('unparseableBody');

/** `@RouteConfig(CSV_BODY)`: the route reads a text/csv body as a stream (the parser refuses CSV elsewhere). */
export const CSV_BODY = { csvBody: true } as const;

export type RequestWithRawBody = FastifyRequest & { rawBody?: Buffer };

const isWebhook = (request: FastifyRequest) => request.url.startsWith('/api/webhooks/');

function badRequest(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400 });
}

/** Text fields of a multipart/form-data body (Exotel sends its callbacks this way). Files are ignored. */
export function parseMultipartFields(body: Buffer, contentType: string): Record<string, string> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) throw new Error('multipart body without a boundary');
  const delimiter = `--${boundary[1] ?? boundary[2]}`;
  const fields: Record<string, string> = {};
  for (const part of body.toString('utf8').split(delimiter).slice(1)) {
    if (part.startsWith('--')) break;
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) continue;
    const headers = part.slice(0, headerEnd);
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
    if (!name || /filename=/i.test(headers)) continue;
    fields[name] = part.slice(headerEnd + 4).replace(/\r\n$/, '');
  }
  return fields;
}

const parseForm = (raw: string): Record<string, unknown> => ({ ...parseQueryString(raw) });

/**
 * No API body is nested deeper than a few levels; a deeper one is refused before it is parsed, so
 * nothing downstream (class-transformer, class-validator, our own walks) recurses without bound.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * True when a JSON text nests arrays/objects deeper than `limit`. Counted on the bytes, without
 * parsing: brackets inside strings are skipped, and UTF-8 continuation bytes are all ≥ 0x80, so
 * they never look like a bracket or a quote. A malformed text is left for JSON.parse to refuse.
 */
export function jsonDepthExceeds(raw: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < raw.length; index += 1) {
    const byte = raw[index];
    if (inString) {
      if (byte === 0x5c) index += 1;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (byte === 0x5d || byte === 0x7d) depth -= 1;
  }
  return false;
}

/** A JSON `\u0000` escape (not an escaped backslash followed by `u0000`). */
const NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/g;

/** NUL read from a stored webhook (PostgreSQL text holds none) becomes U+FFFD, as ingress does for raw NULs. */
export const withoutNul = (text: string) =>
  text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;

/**
 * Parses a stored raw body the way the ingress parsed it (the worker re-reads webhooks from
 * storage). A NUL that arrives escaped (`\u0000` in JSON, `%00` in a form) is read as U+FFFD:
 * the worker writes what it reads into PostgreSQL.
 */
export function parseBody(raw: string, contentType: string): Record<string, unknown> {
  const type = contentType.toLowerCase();
  if (type.includes('json')) {
    if (!raw) return {};
    const text = raw.includes('\\u0000') ? raw.replace(NUL_ESCAPE, '$1\\uFFFD') : raw;
    return JSON.parse(text) as Record<string, unknown>;
  }
  if (type.includes('multipart/form-data'))
    return parseMultipartFields(Buffer.from(raw, 'utf8'), contentType);
  if (!raw.includes('%00')) return parseForm(raw);
  return Object.fromEntries(
    Object.entries(parseForm(raw)).map(([key, value]) => [
      withoutNul(key),
      Array.isArray(value)
        ? value.map((item: string) => withoutNul(item))
        : withoutNul(String(value)),
    ]),
  );
}

/**
 * Parses a JSON body of an API route: too deep → 400 before parsing; `__proto__` (and
 * `constructor.prototype`) keys → 400, since class-transformer would assign them to the DTO.
 */
function parseApiJson(raw: Buffer): unknown {
  if (jsonDepthExceeds(raw, MAX_JSON_DEPTH))
    throw badRequest(`JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return secureJson.parse(raw.toString('utf8'), undefined, {
      protoAction: 'error',
      constructorAction: 'error',
    });
  } catch (error) {
    throw badRequest(`Malformed JSON body: ${(error as Error).message}`);
  }
}

/**
 * JSON, URL-encoded and multipart parsers that keep the raw body (signatures are computed over it).
 * On webhook routes an unparseable body is not thrown away with a bare 400: the ingress answers
 * 400 itself and keeps the raw request.
 */
export function registerBodyParsers(fastify: FastifyInstance): void {
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    (request as RequestWithRawBody).rawBody = raw;
    if (raw.length === 0) return done(null, {});
    // Webhook bodies go to a provider adapter, never to class-transformer: the ingress's hot
    // path keeps a bare JSON.parse (V8's is iterative, so depth cannot blow its stack).
    if (!isWebhook(request)) {
      try {
        return done(null, parseApiJson(raw));
      } catch (error) {
        return done(error as Error, undefined);
      }
    }
    try {
      done(null, JSON.parse(raw.toString('utf8')));
    } catch (error) {
      done(null, { [UNPARSEABLE_BODY]: `Malformed JSON body: ${(error as Error).message}` });
    }
  });

  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    (request, body, done) => {
      (request as RequestWithRawBody).rawBody = body as Buffer;
      done(null, parseForm((body as Buffer).toString('utf8')));
    },
  );

  // CSV uploads (contact import) reach the handler as a stream: read row by row, never buffered
  // whole. Only a route marked `@RouteConfig(CSV_BODY)` gets one: anywhere else the stream would
  // become the body a DTO is built from, and class-transformer, walking the request down to its
  // socket, calls `new TCP()` with no argument, a native assertion that aborts the process.
  fastify.addContentTypeParser(['text/csv', 'application/csv'], (request, payload, done) => {
    if ((request.routeOptions.config as { csvBody?: boolean } | undefined)?.csvBody)
      return done(null, payload);
    done(
      Object.assign(
        new Error(
          `Content-Type ${String(request.headers['content-type']).split(';')[0].trim()} is not accepted here: send application/json`,
        ),
        { statusCode: 415 },
      ),
      undefined,
    );
  });

  fastify.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer' },
    (request, body, done) => {
      (request as RequestWithRawBody).rawBody = body as Buffer;
      try {
        done(null, parseMultipartFields(body as Buffer, String(request.headers['content-type'])));
      } catch (error) {
        const message = `Malformed multipart body: ${(error as Error).message}`;
        if (isWebhook(request)) return done(null, { [UNPARSEABLE_BODY]: message });
        done(badRequest(message), undefined);
      }
    },
  );
}
