import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { redisOptionsFromUrl } from '../../redis/redis-options';
import type { SavedSession } from './socket-access';

type AdapterFactory = ReturnType<typeof createAdapter>;

/**
 * The socket.io adapter every process shares: a Redis stream carries each broadcast to every api
 * node (it survives a Redis restart, and keeps sessions for connection-state recovery). One stream.
 */
export function createSocketAdapter(
  config: AppConfig,
  options: {
    /** Consulted before a saved session is resumed (and its missed events replayed); false: a fresh session. */
    mayRestore?: (session: SavedSession) => Promise<boolean>;
  } = {},
): {
  adapter: AdapterFactory;
  redis: Redis;
} {
  // Auto-pipelining: the broadcasts a worker batch publishes in one go share one write to Redis.
  const redis = new Redis({
    ...redisOptionsFromUrl(config.REDIS_URL),
    maxRetriesPerRequest: null,
    enableAutoPipelining: true,
  });
  redis.on('error', () => undefined); // reconnects by itself; the adapter resumes from its last offset
  const streams = createAdapter(redis, {
    streamName: `${config.REDIS_PREFIX}:socket.io`,
    channelPrefix: `${config.REDIS_PREFIX}:socket.io`,
    sessionKeyPrefix: `${config.REDIS_PREFIX}:sio:session:`,
    streamCount: 1,
    maxLen: 100_000,
    blockTimeInMs: 1000,
    onlyPlaintext: true,
  });
  const { mayRestore } = options;
  if (!mayRestore) return { adapter: streams, redis };
  // socket.io resumes a session, rooms and missed events included, before its middlewares run.
  // A function, not an arrow: socket.io calls the factory with `new`.
  const adapter = function (namespace: Parameters<AdapterFactory>[0]) {
    const instance = streams(namespace);
    const restore = instance.restoreSession.bind(instance);
    instance.restoreSession = async (pid, offset) => {
      const session = await restore(pid, offset);
      // socket.io treats a rejection as "no session": the client connects afresh.
      if (!(await mayRestore(session))) throw new Error('this session may no longer be resumed');
      return session;
    };
    return instance;
  } as AdapterFactory;
  return { adapter, redis };
}

export const CONNECTION_STATE_RECOVERY = {
  maxDisconnectionDuration: 2 * 60 * 1000,
  // Authentication runs again when a session is recovered.
  skipMiddlewares: false,
};
