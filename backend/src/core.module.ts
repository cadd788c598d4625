import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { RedisModule } from './redis/redis.module';
import { ProcessRole, QueueModule } from './queue/queue.module';
import { AuditCoreModule } from './modules/audit/audit-core.module';

/** What both processes need: configuration, PostgreSQL, Redis and the queues. */
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, role: ProcessRole): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        QueueModule.forRoot(role),
        AuditCoreModule,
      ],
    };
  }
}
