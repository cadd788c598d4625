import { ConfigValidationError, DEVELOPMENT_JWT_SECRET, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('gives sensible development defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/switchboard');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.PORT).toBe(3000);
    expect(config.JWT_SECRET).toBe(DEVELOPMENT_JWT_SECRET);
    expect(config.PUBLIC_BASE_URL).toBe('http://localhost:3000');
  });

  it('points PUBLIC_BASE_URL at the api on its own port unless it is set', () => {
    expect(loadConfig({ PORT: '3100' }).PUBLIC_BASE_URL).toBe('http://localhost:3100');
    expect(
      loadConfig({ PORT: '3100', PUBLIC_BASE_URL: 'https://calls.example.com' }).PUBLIC_BASE_URL,
    ).toBe('https://calls.example.com');
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'calls.example.com' })).toThrow(
      ConfigValidationError,
    );
  });

  it('names a malformed variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty' })).toThrow(
      ConfigValidationError,
    );
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty' });
    } catch (error) {
      const problems = (error as ConfigValidationError).problems.join('\n');
      expect(problems).toContain('DATABASE_URL must be a postgres:// URL');
      expect(problems).toContain('PORT');
    }
  });

  it('requires its secrets in production and has no defaults for them there', () => {
    const simulatorSecret = `whsec_${Buffer.from('a production simulator secret').toString('base64')}`;
    const production = {
      NODE_ENV: 'production',
      SIMULATOR_WEBHOOK_SECRET: simulatorSecret,
      PUBLIC_BASE_URL: 'https://calls.example.com',
    };
    expect(() => loadConfig(production)).toThrow(/JWT_SECRET is required in production/);
    expect(() => loadConfig({ ...production, JWT_SECRET: 'short' })).toThrow(
      /at least 32 characters/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(
      /SIMULATOR_WEBHOOK_SECRET/,
    );
    expect(() =>
      loadConfig({ ...production, PUBLIC_BASE_URL: undefined, JWT_SECRET: 'x'.repeat(40) }),
    ).toThrow(/PUBLIC_BASE_URL must be an http\(s\) URL \(required in production\)/);
    const config = loadConfig({ ...production, JWT_SECRET: 'x'.repeat(40) });
    expect(config.JWT_SECRET).toBe('x'.repeat(40));
    expect(config.SIMULATOR_WEBHOOK_SECRET).toBe(simulatorSecret);
  });

  it('reads numbers and lists', () => {
    const config = loadConfig({ PORT: '8080', CORS_ORIGINS: 'http://a.test, http://b.test' });
    expect(config.PORT).toBe(8080);
    expect(config.corsOrigins).toEqual(['http://a.test', 'http://b.test']);
  });

  it('accepts a hash-tagged REDIS_PREFIX for Redis Cluster, and nothing else beyond letters, digits, _ and -', () => {
    expect(loadConfig({ REDIS_PREFIX: '{sb}' }).REDIS_PREFIX).toBe('{sb}');
    expect(loadConfig({ REDIS_PREFIX: '{sb}prod_1' }).REDIS_PREFIX).toBe('{sb}prod_1');
    for (const bad of ['sb:x', '{sb', 'a{sb}', '{}', 'sb*'])
      expect(() => loadConfig({ REDIS_PREFIX: bad })).toThrow(/REDIS_PREFIX/);
  });
});
