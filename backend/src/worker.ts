import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigValidationError, loadConfig } from './config/app-config';
import { exitAfterShutdownDeadline } from './common/shutdown';
import { createRootLogger, PinoNestLogger } from './logging/logger';
import { configuredSecrets } from './logging/redaction';
import { WorkerModule } from './worker.module';

/** The worker process: BullMQ processors and schedulers, no HTTP listener. */
async function main() {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: new PinoNestLogger(
      createRootLogger(config.LOG_LEVEL, 'worker', undefined, configuredSecrets(config)),
    ),
  });
  // Close queues, then Redis and PostgreSQL, on SIGTERM/SIGINT, then exit 0 (not re-raise the signal).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  exitAfterShutdownDeadline('worker');
  await app.init();
  new Logger('Bootstrap').log('Switchboard worker ready');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
