import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/app-config';
import { createOpenApiDocument } from './openapi-document';

/**
 * Writes the api's OpenAPI document (the one /api/docs serves) to a file, without a database,
 * Redis or a listening server: preview mode scans modules and controllers but instantiates no
 * provider. `npm run api-types` turns the file into the console's TypeScript types.
 */
async function main() {
  const target = resolve(
    process.argv[2] ?? `${__dirname}/../../../frontend/src/app/core/api/openapi.json`,
  );
  const app = await NestFactory.create(AppModule.forRoot(loadConfig()), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  app.setGlobalPrefix('api', { exclude: ['health/live', 'health/ready', 'metrics'] });
  const document = createOpenApiDocument(app);
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
  console.log(`OpenAPI document written to ${target}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
