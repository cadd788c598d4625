import http from 'node:http';
import https from 'node:https';
import type { LookupAddress } from 'node:dns';

export interface PostResult {
  statusCode: number | null;
  /** The first KB of the answer's body. */
  excerpt: string | null;
  error: string | null;
  latencyMs: number;
}

const EXCERPT_BYTES = 1024;

/**
 * POSTs a body to `url`, connecting to `address` (already checked by the SSRF guard) rather than
 * resolving the host again; TLS still verifies the certificate for the URL's host name. Redirects
 * are not followed (a 3xx is a failed attempt). Never throws: failures are in the result.
 */
export function postTo(
  url: URL,
  address: LookupAddress,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostResult> {
  const started = performance.now();
  const payload = Buffer.from(body);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<PostResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: Math.round(performance.now() - started) });
    };
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { ...headers, 'content-length': String(payload.length) },
        lookup: (_hostname, options, callback) => {
          if ((options as { all?: boolean }).all) callback(null, [address] as never);
          else callback(null, address.address, address.family);
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          finish({
            statusCode: response.statusCode ?? null,
            excerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8'),
            error: null,
          });
        response.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
          if (size >= EXCERPT_BYTES) {
            done();
            response.destroy();
          }
        });
        response.on('end', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      finish({ statusCode: null, excerpt: null, error: `timed out after ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish({
        statusCode: null,
        excerpt: null,
        error: `${error.code ?? error.name}: ${error.message}`.slice(0, 1000),
      }),
    );
    request.end(payload);
  });
}
