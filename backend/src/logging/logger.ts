import { AsyncLocalStorage } from 'node:async_hooks';
import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { REDACT_PATHS, scrubbingDestination } from './redaction';

/** Per-request context; the logger adds its request id to every line logged while handling the request. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/**
 * The process's pino logger. `secrets` are the configured secret values (`configuredSecrets`):
 * any line that would contain one, or a JWT, has it replaced before it is written.
 */
export function createRootLogger(
  level: string,
  processName: 'api' | 'worker' | 'cli',
  destination: pino.DestinationStream = pino.destination({ dest: 1 }),
  secrets: string[] = [],
): Logger {
  return pino(
    {
      level,
      base: { process: processName, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Fastify's request loggers already carry reqId; every other line logged in a request gets it here.
      mixin: (_merge, _level, logger) => {
        const context = requestContext.getStore();
        return context && !('reqId' in logger.bindings()) ? { reqId: context.requestId } : {};
      },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    scrubbingDestination(destination, secrets),
  );
}

/** Nest's LoggerService on top of pino, so Nest's own lines are structured JSON too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]) {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }

  private write(level: pino.Level, message: unknown, rest: unknown[]) {
    // Nest passes the context (class name) last, and a stack before it for errors.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack = typeof rest[0] === 'string' ? (rest[0] as string) : undefined;
    if (message instanceof Error) {
      this.logger[level]({ context, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ context, ...message });
    } else {
      this.logger[level]({ context, ...(stack ? { stack } : {}) }, String(message));
    }
  }
}
