import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { redisOptionsFromUrl } from './redis-options';

export const REDIS = Symbol('REDIS');

/** Closes the shared Redis client last, after queues and workers have closed theirs. */
@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** One shared Redis client for small commands (rate limits, health); queues have their own connections. */
/** A connection URL fit for a log line: its password (if any) masked. */
function withoutPassword(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const redis = new Redis({
          ...redisOptionsFromUrl(config.REDIS_URL),
          keyPrefix: `${config.REDIS_PREFIX}:`,
          maxRetriesPerRequest: 2,
          connectTimeout: 2000,
        });
        const logger = new Logger('Redis');
        let lastLogged = 0;
        redis.on('error', (error: Error) => {
          // ioredis retries by itself; say so at most every 10 s instead of on every attempt.
          if (Date.now() - lastLogged < 10_000) return;
          lastLogged = Date.now();
          logger.warn(
            `Redis at ${withoutPassword(config.REDIS_URL)} is unreachable (${error.message}); retrying`,
          );
        });
        return redis;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
