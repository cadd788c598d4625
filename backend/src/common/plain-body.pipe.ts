import {
  ArgumentMetadata,
  Injectable,
  PipeTransform,
  UnsupportedMediaTypeException,
} from '@nestjs/common';

/** Parsed data (JSON, a form, multipart fields): a plain object or array, nothing with behaviour. */
export function isPlainData(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null || prototype === Array.prototype;
}

/**
 * A `@Body()` is built into a DTO by class-transformer, which walks every property and
 * instantiates the constructors it meets. A body that is not parsed data (the request stream a
 * CSV upload leaves, a buffer) would be walked down to the socket's native handle, whose
 * constructor called without arguments aborts the process. Refused here, before validation,
 * whatever parser let it through. (Routes that read a stream take the request, not `@Body()`.)
 */
@Injectable()
export class PlainBodyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' || value === null || typeof value !== 'object') return value;
    if (isPlainData(value)) return value;
    throw new UnsupportedMediaTypeException('The request body must be JSON (application/json)');
  }
}
