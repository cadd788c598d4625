import { flagEmoji, formatPhone } from './phone';

describe('formatPhone', () => {
  it('groups North American, French, Indian and other numbers', () => {
    expect(formatPhone('+14155550100')).toBe('+1 415-555-0100');
    expect(formatPhone('+33142685300')).toBe('+33 1 42 68 53 00');
    expect(formatPhone('+919812300100')).toBe('+91 98123 00100');
    expect(formatPhone('+4930901820')).toBe('+49 309 01820');
    expect(formatPhone('+74951234567')).toBe('+7 495 123 4567');
  });

  it('keeps what is not E.164', () => {
    expect(formatPhone('415 555')).toBe('415 555');
    expect(formatPhone(null)).toBe('');
  });
});

describe('flagEmoji', () => {
  it('builds the flag from regional indicator symbols', () => {
    expect(flagEmoji('US')).toBe('🇺🇸');
    expect(flagEmoji('fr')).toBe('🇫🇷');
    expect(flagEmoji('USA')).toBe('');
    expect(flagEmoji(null)).toBe('');
  });
});
