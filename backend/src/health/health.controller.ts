import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { Public } from '../modules/auth/auth.decorators';
import { REDIS } from '../redis/redis.module';

const CHECK_TIMEOUT_MS = 1500;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(
        () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
        CHECK_TIMEOUT_MS,
      ).unref(),
    ),
  ]);
}

/** Liveness (the process runs) and readiness (it can reach PostgreSQL and Redis). */
@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res() reply: FastifyReply) {
    const [database, redis] = await Promise.all([
      this.check(() => this.dataSource.query('SELECT 1'), 'PostgreSQL'),
      this.check(() => this.redis.ping(), 'Redis'),
    ]);
    const ok = database.status === 'up' && redis.status === 'up';
    return reply
      .status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .send({ status: ok ? 'ok' : 'unavailable', checks: { database, redis } });
  }

  private async check(probe: () => Promise<unknown>, what: string) {
    try {
      await withTimeout(probe(), what);
      return { status: 'up' as const };
    } catch (error) {
      return {
        status: 'down' as const,
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }
}
