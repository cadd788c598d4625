import { ValidationError } from '@nestjs/common';
import { describeValidationErrors } from './errors';

describe('describeValidationErrors', () => {
  it('names nested fields by their full path', () => {
    const child: ValidationError = {
      property: 'to',
      constraints: { isE164: 'to must be an E.164 number' },
      children: [],
    };
    const parent: ValidationError = { property: 'call', constraints: {}, children: [child] };
    const flat: ValidationError = {
      property: 'email',
      constraints: { isEmail: 'must be valid' },
      children: [],
    };
    expect(describeValidationErrors([parent, flat])).toEqual([
      'call.to must be an E.164 number',
      'email: must be valid',
    ]);
  });
});
