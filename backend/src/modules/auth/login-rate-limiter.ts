import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { REDIS } from '../../redis/redis.module';

const WINDOW_SECONDS = 60;

/** Fixed one-minute windows per client IP and per email, in Redis so every api node shares them. */
@Injectable()
export class LoginRateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async consume(ip: string, email: string): Promise<void> {
    const keys = [`login-attempts:ip:${ip}`, `login-attempts:email:${email.toLowerCase()}`];
    const pipeline = this.redis.multi();
    for (const key of keys) pipeline.incr(key).expire(key, WINDOW_SECONDS, 'NX');
    pipeline.ttl(keys[0]);
    const results = (await pipeline.exec()) ?? [];
    const counts = [results[0]?.[1], results[2]?.[1]].map(Number);
    if (counts.some((count) => count > this.config.LOGIN_RATE_LIMIT_PER_MINUTE)) {
      const ttl = Number(results[4]?.[1]);
      const retryAfterSeconds = ttl > 0 ? ttl : WINDOW_SECONDS;
      throw new HttpException(
        {
          message: `Too many sign-in attempts. Try again in ${retryAfterSeconds} seconds.`,
          retryAfterSeconds,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }
}
