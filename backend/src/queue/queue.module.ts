import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ALL_QUEUES } from './queue-name';

export type ProcessRole = 'api' | 'worker';

/**
 * BullMQ on Redis: the connection and every queue. The api only produces: its commands fail fast
 * while Redis is away (the webhook is already in PostgreSQL; the sweeper enqueues it later) instead
 * of holding the request. Worker connections wait for Redis, as BullMQ workers must.
 */
@Global()
@Module({})
export class QueueModule {
  static forRoot(role: ProcessRole): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        BullModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            connection:
              role === 'api'
                ? { url: config.REDIS_URL, enableOfflineQueue: false, maxRetriesPerRequest: 1 }
                : { url: config.REDIS_URL, maxRetriesPerRequest: null },
            prefix: `${config.REDIS_PREFIX}-bull`,
            defaultJobOptions: {
              attempts: config.JOB_ATTEMPTS,
              backoff: { type: 'exponential', delay: config.JOB_RETRY_DELAY_MS },
              removeOnComplete: { age: 3600, count: 10000 },
              removeOnFail: { age: 7 * 24 * 3600 },
            },
          }),
        }),
        BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
      ],
      exports: [BullModule],
    };
  }
}
