import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { REDIS } from '../../redis/redis.module';

const WINDOW_SECONDS = 60;
export const LOGIN_ROUTE = '/api/auth/login';

/**
 * Fixed one-minute windows per client IP and per email, in Redis so every api node shares them.
 * The IP is counted before the body is even read (`registerLoginIpLimit`): a flood of sign-ins,
 * well formed or not, costs one Redis round trip each, never a parse or a validation.
 */
@Injectable()
export class LoginRateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  consumeIp(ip: string): Promise<void> {
    return this.consume(`login-attempts:ip:${ip}`);
  }

  consumeEmail(email: string): Promise<void> {
    return this.consume(`login-attempts:email:${email.toLowerCase()}`);
  }

  private async consume(key: string): Promise<void> {
    const results =
      (await this.redis.multi().incr(key).expire(key, WINDOW_SECONDS, 'NX').ttl(key).exec()) ?? [];
    if (Number(results[0]?.[1]) > this.config.LOGIN_RATE_LIMIT_PER_MINUTE) {
      const ttl = Number(results[2]?.[1]);
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

/**
 * Counts a sign-in against its IP in Fastify's onRequest stage, before the body is parsed and
 * validated (Nest guards and pipes run after parsing). The 429 goes through the app's exception
 * filter like any other error. The per-email count needs the body: AuthService takes it.
 */
export function registerLoginIpLimit(fastify: FastifyInstance, limiter: LoginRateLimiter): void {
  fastify.addHook('onRequest', async (request) => {
    if (request.method === 'POST' && request.routeOptions.url === LOGIN_ROUTE)
      await limiter.consumeIp(request.ip);
  });
}
