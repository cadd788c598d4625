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

  it('says a field left out is required, instead of listing every rule it breaks', () => {
    const missing: ValidationError = {
      property: 'to',
      value: undefined,
      constraints: {
        maxLength: 'to must be shorter than or equal to 32 characters',
        isString: 'to must be a string',
      },
      children: [],
    };
    const wrong: ValidationError = {
      property: 'provider',
      value: 'skype',
      constraints: { isIn: 'provider must be one of: simulator, exotel, bolna' },
      children: [],
    };
    const unknown: ValidationError = {
      property: 'foo',
      value: null,
      constraints: { whitelistValidation: 'property foo should not exist' },
      children: [],
    };
    expect(describeValidationErrors([missing, wrong, unknown])).toEqual([
      'to is required',
      'provider must be one of: simulator, exotel, bolna',
      'property foo should not exist',
    ]);
  });
});
