import { flagEmoji, formatPhone } from './phone';

describe('formatPhone', () => {
  it('groups North American, French, Indian and other numbers', () => {
    expect(formatPhone('+14155550100')).toBe('+1 415-555-0100');
    expect(formatPhone('+33142685300')).toBe('+33 1 42 68 53 00');
    expect(formatPhone('+919812300100')).toBe('+91 98123 00100');
    expect(formatPhone('+4930901820')).toBe('+49 3090 1820');
    expect(formatPhone('+74951234567')).toBe('+7 495 123 4567');
  });

  it('finds one-, two- and three-digit country codes elsewhere', () => {
    expect(formatPhone('+442071838750')).toBe('+44 20 7183 8750');
    expect(formatPhone('+8613912345678')).toBe('+86 139 1234 5678');
    expect(formatPhone('+61291234567')).toBe('+61 2 9123 4567');
    expect(formatPhone('+971501234567')).toBe('+971 5 0123 4567');
    expect(formatPhone('+353123456789')).toBe('+353 1 2345 6789');
    expect(formatPhone('+2348031234567')).toBe('+234 80 3123 4567');
    expect(formatPhone('+27211234567')).toBe('+27 2 1123 4567');
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
