import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, loadConfig as load } from './app-config';

describe('loadConfig', () => {
  let directory: string;
  let secretsFile: string;
  // Never the checkout's own secrets file: each test gets a fresh one.
  const loadConfig = (env: Record<string, string | undefined>) =>
    load({ SECRETS_FILE: secretsFile, ...env });

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'switchboard-config-'));
    secretsFile = join(directory, '.switchboard-secrets.json');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('gives sensible development defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/switchboard');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.PORT).toBe(3000);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.PUBLIC_BASE_URL).toBe('http://localhost:3000');
  });

  it('generates the development secrets once per installation, private to its owner, and every process reads the same', () => {
    const api = loadConfig({});
    expect(api.JWT_SECRET).toMatch(/^[\w-]{43}$/);
    expect(api.SIMULATOR_WEBHOOK_SECRET).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
    const worker = loadConfig({});
    expect(worker.JWT_SECRET).toBe(api.JWT_SECRET);
    expect(worker.SIMULATOR_WEBHOOK_SECRET).toBe(api.SIMULATOR_WEBHOOK_SECRET);
    expect(JSON.parse(readFileSync(secretsFile, 'utf8'))).toMatchObject({
      JWT_SECRET: api.JWT_SECRET,
      SIMULATOR_WEBHOOK_SECRET: api.SIMULATOR_WEBHOOK_SECRET,
    });

    // Another installation gets other secrets; set ones win and leave no file behind.
    const other = join(directory, 'other.json');
    expect(load({ SECRETS_FILE: other }).JWT_SECRET).not.toBe(api.JWT_SECRET);
    const set = load({
      SECRETS_FILE: join(directory, 'unused.json'),
      JWT_SECRET: 'y'.repeat(40),
      SIMULATOR_WEBHOOK_SECRET: api.SIMULATOR_WEBHOOK_SECRET,
    });
    expect(set.JWT_SECRET).toBe('y'.repeat(40));
    expect(() => statSync(join(directory, 'unused.json'))).toThrow(/ENOENT/);
  });

  it('names the secrets file when it cannot be used', () => {
    writeFileSync(secretsFile, '{"JWT_SECRET":"short"}');
    expect(() => loadConfig({})).toThrow(/SECRETS_FILE: .*does not hold a JWT_SECRET/);
  });

  it('reads the hot-path pieces to simplify for an A/B, and names the setting when one is unknown', () => {
    expect(loadConfig({}).simpleHotPath('literals')).toBe(false);
    expect(loadConfig({ HOT_PATH_SIMPLE: '' }).simpleHotPath('callHint')).toBe(false);
    const config = loadConfig({ HOT_PATH_SIMPLE: 'literals,commitWrites' });
    expect(config.simpleHotPath('literals')).toBe(true);
    expect(config.simpleHotPath('callHint')).toBe(false);
    expect(config.simpleHotPath('commitWrites')).toBe(true);
    for (const bad of ['literal', 'literals,', 'callHint, commitWrites'])
      expect(() => loadConfig({ HOT_PATH_SIMPLE: bad })).toThrow(
        /HOT_PATH_SIMPLE must be a comma list of literals, callHint, commitWrites/,
      );
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
    expect(() => statSync(secretsFile)).toThrow(/ENOENT/); // production never generates secrets
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
