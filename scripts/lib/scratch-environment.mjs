// @ts-check
// What a benchmark or the e2e run creates for itself, removed when it is done: its database and
// every Redis key under its prefix.
import { Redis } from 'ioredis';
import pg from 'pg';

/** Drops `DATABASE_URL`'s database and deletes the keys under `REDIS_PREFIX` in `REDIS_URL`. */
export async function removeScratchEnvironment(
  /** @type {{ DATABASE_URL: string, REDIS_URL: string, REDIS_PREFIX: string }} */ {
    DATABASE_URL,
    REDIS_URL,
    REDIS_PREFIX,
  },
) {
  const url = new URL(DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_PREFIX}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
