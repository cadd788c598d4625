import { jsonDepthExceeds, parseBody, parseMultipartFields } from './body-parsers';

describe('parseMultipartFields', () => {
  it('reads the text fields of a multipart body, including bracketed keys', () => {
    const boundary = '----x1';
    const body = Buffer.from(
      [
        `--${boundary}`,
        'Content-Disposition: form-data; name="CallSid"',
        '',
        'abc123',
        `--${boundary}`,
        'Content-Disposition: form-data; name="Legs[0][Status]"',
        '',
        'in-progress',
        `--${boundary}`,
        'Content-Disposition: form-data; name="Empty"',
        '',
        '',
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
    expect(parseMultipartFields(body, `multipart/form-data; boundary=${boundary}`)).toEqual({
      CallSid: 'abc123',
      'Legs[0][Status]': 'in-progress',
      Empty: '',
    });
  });

  it('refuses a body without a boundary', () => {
    expect(() => parseMultipartFields(Buffer.from('x'), 'multipart/form-data')).toThrow(/boundary/);
  });
});

describe('jsonDepthExceeds', () => {
  const deep = (depth: number) => Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`);

  it('counts array and object nesting, not brackets inside strings or after escapes', () => {
    expect(jsonDepthExceeds(deep(32), 32)).toBe(false);
    expect(jsonDepthExceeds(deep(33), 32)).toBe(true);
    expect(
      jsonDepthExceeds(Buffer.from(`{"a":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`), 2),
    ).toBe(false);
    expect(jsonDepthExceeds(Buffer.from('{"a":{"b":[1,{"c":[]}]}}'), 5)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from('{"a":{"b":[1,{"c":[]}]}}'), 4)).toBe(true);
  });

  it('stops early on a 300,000-deep body', () => {
    const started = performance.now();
    expect(jsonDepthExceeds(deep(300_000), 32)).toBe(true);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('parseBody (a stored webhook, read again by the worker)', () => {
  it('reads an escaped NUL in JSON as U+FFFD, but keeps an escaped backslash followed by u0000', () => {
    expect(parseBody('{"a":"x\\u0000y","b\\u0000":1}', 'application/json')).toEqual({
      a: 'x\uFFFDy',
      'b\uFFFD': 1,
    });
    expect(parseBody('{"a":"\\\\u0000","b":"\\\\\\u0000"}', 'application/json')).toEqual({
      a: '\\u0000',
      b: '\\\uFFFD',
    });
  });

  it('reads %00 in a form body as U+FFFD', () => {
    expect(
      parseBody('CallStatus=ring%00ing&a%00=1&L=x&L=%00', 'application/x-www-form-urlencoded'),
    ).toEqual({
      CallStatus: 'ring\uFFFDing',
      'a\uFFFD': '1',
      L: ['x', '\uFFFD'],
    });
  });
});
