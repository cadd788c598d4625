import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { redisOptionsFromUrl } from '../../redis/redis-options';

/**
 * The socket.io adapter every process shares: a Redis stream carries each broadcast to every api
 * node (it survives a Redis restart, and keeps sessions for connection-state recovery). One stream.
 */
export function createSocketAdapter(config: AppConfig): {
  adapter: ReturnType<typeof createAdapter>;
  redis: Redis;
} {
  // Auto-pipelining: the broadcasts a worker batch publishes in one go share one write to Redis.
  const redis = new Redis({
    ...redisOptionsFromUrl(config.REDIS_URL),
    maxRetriesPerRequest: null,
    enableAutoPipelining: true,
  });
  redis.on('error', () => undefined); // reconnects by itself; the adapter resumes from its last offset
  const adapter = createAdapter(redis, {
    streamName: `${config.REDIS_PREFIX}:socket.io`,
    channelPrefix: `${config.REDIS_PREFIX}:socket.io`,
    sessionKeyPrefix: `${config.REDIS_PREFIX}:sio:session:`,
    streamCount: 1,
    maxLen: 100_000,
    blockTimeInMs: 1000,
    onlyPlaintext: true,
  });
  return { adapter, redis };
}

export const CONNECTION_STATE_RECOVERY = {
  maxDisconnectionDuration: 2 * 60 * 1000,
  // Authentication runs again when a session is recovered.
  skipMiddlewares: false,
};
