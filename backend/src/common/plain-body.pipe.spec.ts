import { UnsupportedMediaTypeException } from '@nestjs/common';
import { Readable } from 'node:stream';
import { PlainBodyPipe } from './plain-body.pipe';

describe('PlainBodyPipe', () => {
  const pipe = new PlainBodyPipe();

  it('passes parsed bodies, queries and parameters through unchanged', () => {
    const json = JSON.parse('{"name":"A","tags":["x"]}');
    const form = Object.assign(Object.create(null), { name: 'A' });
    expect(pipe.transform(json, { type: 'body' })).toBe(json);
    expect(pipe.transform([1], { type: 'body' })).toEqual([1]);
    expect(pipe.transform(form, { type: 'body' })).toBe(form);
    expect(pipe.transform(undefined, { type: 'body' })).toBeUndefined();
    const stream = Readable.from(['a,b\n']);
    expect(pipe.transform(stream, { type: 'custom' })).toBe(stream);
  });

  it('refuses a body that is a stream, a buffer or a class instance with 415', () => {
    for (const body of [Readable.from(['name,phone\n']), Buffer.from('x'), new Date(), new Map()])
      expect(() => pipe.transform(body, { type: 'body' })).toThrow(UnsupportedMediaTypeException);
  });
});
