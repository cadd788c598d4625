import { Writable } from 'node:stream';
import { createRootLogger, requestContext } from './logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString().trim());
      done();
    },
  });
  return { lines, logger: createRootLogger('info', 'api', stream) };
}

const occurrences = (line: string, text: string) => line.split(text).length - 1;

describe('createRootLogger', () => {
  it('puts the request id on every line logged in a request, once, also on request loggers that carry it', () => {
    const { lines, logger } = capture();
    requestContext.run({ requestId: 'req-1' }, () => {
      logger.info('from a service');
      logger.child({ reqId: 'req-1' }).info('from the request logger');
    });
    logger.info('outside any request');

    expect(lines).toHaveLength(3);
    expect(lines.map((line) => occurrences(line, '"reqId"'))).toEqual([1, 1, 0]);
    expect(lines.slice(0, 2).every((line) => JSON.parse(line).reqId === 'req-1')).toBe(true);
  });
});
