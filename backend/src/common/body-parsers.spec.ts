import { parseMultipartFields } from './body-parsers';

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
