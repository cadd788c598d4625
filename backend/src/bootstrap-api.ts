import '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { AppModule } from './app.module';
import { AppConfig, loadConfig } from './config/app-config';
import { registerBodyParsers } from './common/body-parsers';
import { RejectNulCharactersPipe } from './common/nul-characters.pipe';
import { PlainBodyPipe } from './common/plain-body.pipe';
import { closeConnectionsAfterTooLarge } from './common/shutdown';
import { AllExceptionsFilter, createValidationPipe, SpaFallback } from './common/errors';
import type { DestinationStream } from 'pino';
import { createRootLogger, PinoNestLogger, requestContext } from './logging/logger';
import { configuredSecrets, redactUrl } from './logging/redaction';
import { MetricsService } from './metrics/metrics.service';
import { LoginRateLimiter, registerLoginIpLimit } from './modules/auth/login-rate-limiter';
import { createOpenApiDocument } from './openapi/openapi-document';
import { RedisStreamsIoAdapter } from './modules/realtime/redis-streams-io.adapter';

/** One log line per request (not two), none for probes and scrapes. */
class OneLinePerRequest extends LogController {
  override incomingRequest() {}

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply) {
    if (/^\/(health|metrics)/.test(request.url)) return;
    const line = {
      method: request.method,
      url: redactUrl(request.url), // Exotel's ?token=, any signature or key in a query string
      statusCode: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

const NOT_CONSOLE_PATHS = /^\/(api|health|metrics|socket\.io)(\/|$)/;

function consoleDirectory(config: AppConfig): string | undefined {
  const directory = resolve(
    config.CONSOLE_DIST_DIR ?? join(__dirname, '..', '..', 'frontend', 'dist', 'browser'),
  );
  return existsSync(join(directory, 'index.html')) ? directory : undefined;
}

/** Creates the api application, fully configured but not yet listening (tests listen on a port of their own). */
export async function createApiApp(
  config: AppConfig = loadConfig(),
  options: { logDestination?: DestinationStream } = {},
): Promise<NestFastifyApplication> {
  const logger = createRootLogger(
    config.LOG_LEVEL,
    'api',
    options.logDestination,
    configuredSecrets(config),
  );
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new OneLinePerRequest(),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    trustProxy: config.TRUST_PROXY === 'true',
    bodyLimit: 1024 * 1024,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bodyParser: false, // registerBodyParsers: keeps raw bodies for signatures, multipart for Exotel
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
    // On close, destroy every connection, not only idle ones (and let socket.io's close skip the
    // server's own close, which would wait for them): a client stalled mid-body, or still sending
    // an upload already refused, would otherwise hold the process open until it gave up.
    forceCloseConnections: true,
  });
  const fastify = app.getHttpAdapter().getInstance();
  registerBodyParsers(fastify);
  closeConnectionsAfterTooLarge(fastify);
  const metrics = app.get(MetricsService);

  // Every log line written while handling a request carries its id.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    requestContext.run({ requestId: String(request.id) }, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeHttp(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  // Security headers on every response. helmet() builds its middleware (and the CSP string) once,
  // here: @fastify/helmet rebuilt both on every request, a fifth of the webhook ingress's CPU.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", 'ws:', 'wss:', 'https:'],
        mediaSrc: ["'self'", 'https:', 'blob:'],
      },
    },
  });
  fastify.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)),
  );
  registerLoginIpLimit(fastify, app.get(LoginRateLimiter));
  app.enableCors({ origin: config.corsOrigins, credentials: true });
  app.setGlobalPrefix('api', { exclude: ['health/live', 'health/ready', 'metrics'] });
  app.useGlobalPipes(new PlainBodyPipe(), new RejectNulCharactersPipe(), createValidationPipe());
  app.useWebSocketAdapter(new RedisStreamsIoAdapter(app, config));

  const consoleDir = consoleDirectory(config);
  let spaFallback: SpaFallback | undefined;
  if (consoleDir) {
    app.useStaticAssets({ root: consoleDir, prefix: '/', wildcard: true });
    spaFallback = (request: FastifyRequest, reply: FastifyReply) => {
      const wantsPage =
        request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
      if (!wantsPage || NOT_CONSOLE_PATHS.test(request.url)) return false;
      void reply.type('text/html').sendFile('index.html');
      return true;
    };
  }
  app.useGlobalFilters(new AllExceptionsFilter(spaFallback));

  const document = createOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document);

  // Close queues, then Redis and PostgreSQL, on SIGTERM/SIGINT, then exit 0 (not re-raise the signal).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  return app;
}
