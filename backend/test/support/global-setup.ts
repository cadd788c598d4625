import { randomBytes } from 'node:crypto';
import { runDatabaseCli } from './database-cli';
import { testSecrets } from './test-secrets';

/**
 * Integration tests run against the real PostgreSQL and Redis of this machine: a fresh database
 * with a unique name, migrated by the real migrations (compiled CLI), and a Redis key prefix of
 * their own. global-teardown drops and deletes both.
 */
export default function globalSetup(): void {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const base = new URL(
    process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  );
  base.pathname = `/switchboard_test_${suffix}`;
  process.env.DATABASE_URL = base.toString();
  process.env.REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  process.env.REDIS_PREFIX = `sbtest_${suffix}`;
  process.env.NODE_ENV = 'test';
  process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
  process.env.LOGIN_RATE_LIMIT_PER_MINUTE = '10000'; // the rate-limit test sets its own
  process.env.PUBLIC_BASE_URL = 'http://127.0.0.1:3999';
  // Tests run at any hour: the calling-hours rule is on only where a test turns it on.
  process.env.CALLING_HOURS ??= 'off';
  // Suites place calls side by side as one user; call-one-live.int-spec turns the rule on.
  process.env.ONE_LIVE_CALL_PER_AGENT ??= 'off';
  Object.assign(process.env, testSecrets());

  runDatabaseCli(['run', 'default-rates'], process.env);
}
