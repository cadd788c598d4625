import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  Param,
  ParseUUIDPipe,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** 402: the wallet cannot pay for what was asked (a call, a debit). */
export class PaymentRequiredException extends HttpException {
  constructor(message: string) {
    super(message, HttpStatus.PAYMENT_REQUIRED);
  }
}

/** The one error shape of the API. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

/**
 * Flattens nested class-validator errors into "field: reason" sentences naming the full property
 * path. A field left out gets "is required" alone rather than every rule its absent value breaks
 * (optional fields are never validated when absent).
 */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    // Leaf errors carry the value they judged (ValidationPipe strips only parents' values). A
    // property the DTO does not have is reported as such, whatever its value.
    const rules = Object.keys(error.constraints ?? {});
    const missing =
      'value' in error &&
      (error.value === undefined || error.value === null) &&
      rules.length > 0 &&
      !rules.includes('whitelistValidation');
    if (missing) return [`${path} is required`];
    const own = Object.values(error.constraints ?? {}).map((message) =>
      new RegExp(`\\b${error.property}\\b`).test(message)
        ? message.replace(error.property, path)
        : `${path}: ${message}`,
    );
    return [...own, ...describeValidationErrors(error.children ?? [], path)];
  });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new BadRequestException(describeValidationErrors(errors).join('; ')),
  });
}

/** Serves the console's index.html for browser navigations to client-side routes. */
export type SpaFallback = (request: FastifyRequest, reply: FastifyReply) => boolean;

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly spaFallback?: SpaFallback) {}

  catch(exception: unknown, host: ArgumentsHost) {
    const context = host.switchToHttp();
    const reply = context.getResponse<FastifyReply>();
    const request = context.getRequest<FastifyRequest>();
    const body = this.toBody(exception);

    if (body.statusCode === 404 && this.spaFallback?.(request, reply)) return;
    if (body.statusCode >= 500) this.logger.error(exception);

    const headers = exception instanceof HttpException ? exception.getResponse() : undefined;
    if (typeof headers === 'object' && headers && 'retryAfterSeconds' in headers) {
      void reply.header(
        'Retry-After',
        String((headers as { retryAfterSeconds: number }).retryAfterSeconds),
      );
    }
    // A route may have set another type before failing (`@Header('Content-Type', 'text/csv')`
    // applies before its pipes run): the error body is JSON whatever it was.
    void reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown): ApiErrorBody {
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse();
      let message: string = exception.message;
      if (typeof response === 'string') message = response;
      else if (typeof response === 'object' && response && 'message' in response) {
        const raw = (response as { message: unknown }).message;
        message = Array.isArray(raw) ? raw.join('; ') : String(raw);
      }
      return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
    }
    // Fastify's own errors (body too large, bad JSON, wrong content type) carry a statusCode.
    const fastifyError = exception as { statusCode?: number; message?: string };
    if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode < 500) {
      return {
        statusCode: fastifyError.statusCode,
        error: STATUS_CODES[fastifyError.statusCode] ?? 'Error',
        message: fastifyError.message ?? 'Bad request',
      };
    }
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'Internal Server Error',
      message: 'Something went wrong on our side. The error was logged.',
    };
  }
}

/** `@IdParam()`: the route's `:id`, which must be a UUID; anything else is a 400 that says so. */
export const IdParam = (): ParameterDecorator =>
  Param(
    'id',
    new ParseUUIDPipe({
      exceptionFactory: () => new BadRequestException('id must be a UUID'),
    }),
  );
