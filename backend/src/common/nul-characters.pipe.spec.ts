import { BadRequestException } from '@nestjs/common';
import { findNul, RejectNulCharactersPipe } from './nul-characters.pipe';

describe('RejectNulCharactersPipe', () => {
  const pipe = new RejectNulCharactersPipe();

  it('names the field holding a NUL in a body, a query and a path parameter', () => {
    const refuse = (value: unknown, type: 'body' | 'query' | 'param', data?: string) => {
      try {
        pipe.transform(value, { type, data });
      } catch (error) {
        expect(error).toBeInstanceOf(BadRequestException);
        return (error as Error).message;
      }
      return undefined;
    };
    expect(refuse({ name: 'ok', notes: 'a\u0000' }, 'body')).toBe(
      'notes must not contain NUL (\\u0000) characters',
    );
    expect(refuse({ rates: [{ prefix: '1' }, { prefix: '\u0000' }] }, 'body')).toBe(
      'rates[1].prefix must not contain NUL (\\u0000) characters',
    );
    expect(refuse({ q: '\u0000' }, 'query')).toBe('q must not contain NUL (\\u0000) characters');
    expect(refuse('\u0000', 'param', 'id')).toBe('id must not contain NUL (\\u0000) characters');
    expect(refuse('\u0000', 'body')).toBe('body must not contain NUL (\\u0000) characters');
    expect(refuse({ ['a\u0000']: 1 }, 'body')).toBe(
      'a\\0 must not contain NUL (\\u0000) characters',
    );
    expect(refuse({ name: 'fine', tags: ['a', 'b'], n: 1, x: null }, 'body')).toBeUndefined();
  });

  it('leaves custom parameters (the current user) alone', () => {
    const user = { name: '\u0000' };
    expect(pipe.transform(user, { type: 'custom' })).toBe(user);
  });

  it('walks without recursion', () => {
    let deep: unknown = 'x\u0000';
    for (let depth = 0; depth < 100_000; depth += 1) deep = [deep];
    expect(findNul(deep, '')).toMatch(/^\[0\]/);
  });
});
