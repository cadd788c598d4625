import { Writable } from 'node:stream';
import { createRootLogger } from './logger';
import { configuredSecrets, lineScrubber, redactUrl } from './redaction';

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

describe('redactUrl', () => {
  it('hides the values of credential parameters and JWTs, keeps the rest', () => {
    expect(redactUrl('/api/webhooks/exotel/status?token=s3cret-value&callId=42')).toBe(
      '/api/webhooks/exotel/status?token=[redacted]&callId=42',
    );
    expect(redactUrl('/x?api_key=a&Signature=b&access%5Ftoken=c&password=d&q=e')).toBe(
      '/x?api_key=[redacted]&Signature=[redacted]&access%5Ftoken=[redacted]&password=[redacted]&q=e',
    );
    expect(redactUrl(`/socket?x=${JWT}`)).toBe('/socket?x=[redacted]');
    expect(redactUrl('/api/calls?status=completed')).toBe('/api/calls?status=completed');
  });
});

describe('configuredSecrets', () => {
  it('lists settings named like secrets, tokens and keys, and passwords inside URLs', () => {
    expect(
      configuredSecrets({
        JWT_SECRET: 'jwt-secret-value',
        EXOTEL_WEBHOOK_TOKEN: 'exotel-token-value',
        BOLNA_API_KEY: 'bolna-key',
        DATABASE_URL: 'postgres://app:db-p%40ss@db:5432/x',
        REDIS_URL: 'redis://127.0.0.1:6379',
        PORT: 3000,
        TWILIO_API_KEY_SID: 'SK123',
      }).sort(),
    ).toEqual(['bolna-key', 'db-p@ss', 'exotel-token-value', 'jwt-secret-value']);
  });
});

describe('the root logger', () => {
  it('writes no configured secret, header credential, password or JWT, wherever it appears', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const secret = 'whsec_c2VjcmV0LXNpbXVsYXRvci12YWx1ZQ==';
    const logger = createRootLogger('trace', 'api', stream, [secret, 'exotel-token-value']);
    logger.info({ req: { headers: { authorization: 'Bearer abc', 'x-twilio-signature': 'sig' } } });
    logger.info({ headers: { 'webhook-signature': 'v1,xyz' }, body: { password: 'hunter22' } });
    logger.warn(`failed with ${secret} and ${encodeURIComponent(secret)}`);
    logger.error(new Error(`token exotel-token-value refused; jwt ${JWT}`));
    logger.debug({ accessToken: JWT, user: { token: 'abc' } }, 'signed in');

    const output = lines.join('');
    for (const leaked of [
      'Bearer abc',
      '"sig"',
      'v1,xyz',
      'hunter22',
      secret,
      encodeURIComponent(secret),
      'exotel-token-value',
      JWT,
      '"abc"',
    ])
      expect(output).not.toContain(leaked);
    expect(output.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(9);
  });

  it('leaves short values and ordinary text alone', () => {
    const scrub = lineScrubber(['short', 'a-long-enough-secret']);
    expect(scrub('a short line with a-long-enough-secret')).toBe('a short line with [redacted]');
  });
});
