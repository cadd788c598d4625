import { parse as parseQueryString } from 'node:querystring';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Set on a webhook request whose body could not be parsed; the ingress keeps it as rejected. */
export const UNPARSEABLE_BODY = Symbol('unparseableBody');

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

/** Parses a stored raw body the way the ingress parsed it (the worker re-reads webhooks from storage). */
export function parseBody(raw: string, contentType: string): Record<string, unknown> {
  const type = contentType.toLowerCase();
  if (type.includes('json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  if (type.includes('multipart/form-data'))
    return parseMultipartFields(Buffer.from(raw, 'utf8'), contentType);
  return parseForm(raw);
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
    try {
      done(null, JSON.parse(raw.toString('utf8')));
    } catch (error) {
      const message = `Malformed JSON body: ${(error as Error).message}`;
      if (isWebhook(request)) return done(null, { [UNPARSEABLE_BODY]: message });
      done(badRequest(message), undefined);
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

  // CSV uploads (contact import) reach the handler as a stream: read row by row, never buffered whole.
  fastify.addContentTypeParser(['text/csv', 'application/csv'], (_request, payload, done) =>
    done(null, payload),
  );

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
