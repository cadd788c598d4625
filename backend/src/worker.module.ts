import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { CoreModule } from './core.module';

/** The worker process: queue processors and job schedulers, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: WorkerModule, imports: [CoreModule.forRoot(config)] };
  }
}
