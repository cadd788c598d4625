import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApiApp } from './bootstrap-api';
import { ConfigValidationError, loadConfig } from './config/app-config';
import { exitAfterShutdownDeadline } from './common/shutdown';

/** The api process: HTTP (REST, webhooks, console) on Fastify. */
async function main() {
  const config = loadConfig();
  const app = await createApiApp(config);
  exitAfterShutdownDeadline('api');
  await app.listen({ port: config.PORT, host: config.HOST });
  const shown = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  new Logger('Bootstrap').log(`Switchboard api listening on http://${shown}:${config.PORT}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
