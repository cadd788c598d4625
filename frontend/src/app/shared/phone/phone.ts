/**
 * Display helpers for E.164 numbers. Grouping is cosmetic (the stored number is always E.164):
 * North American numbers read `+1 415-555-0100`, others `+CC` followed by groups of digits.
 * (libphonenumber-js's per-country formats would add about 40 kB to the console's initial script.)
 */

/**
 * The two-digit country calling codes (ITU-T E.164; codes are prefix-free, so a number's code is
 * `1` or `7`, one of these, or else its first three digits).
 */
const TWO_DIGIT_CODES = new Set(
  (
    '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 ' +
    '64 65 66 81 82 84 86 90 91 92 93 94 95 98'
  ).split(' '),
);

/** The country calling code at the start of an E.164 number's digits (`4420…` → `44`). */
export function callingCodeOf(digits: string): string {
  if (digits[0] === '1' || digits[0] === '7') return digits[0];
  return TWO_DIGIT_CODES.has(digits.slice(0, 2)) ? digits.slice(0, 2) : digits.slice(0, 3);
}

/**
 * `+14155550100` → `+1 415-555-0100`; `+33142685300` → `+33 1 42 68 53 00`; elsewhere the country
 * code, then the national number in groups of four from the right (`+44 20 7183 8750`,
 * `+86 139 1234 5678`). Non-E.164 text is kept.
 */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const match = /^\+(\d{6,15})$/.exec(phone);
  if (!match) return phone;
  const digits = match[1];
  if (digits.startsWith('1') && digits.length === 11) {
    return `+1 ${digits.slice(1, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}`;
  }
  const code = callingCodeOf(digits);
  const rest = digits.slice(code.length);
  if (code === '33' && rest.length === 9) {
    return `+33 ${rest[0]} ${rest.slice(1).replace(/(\d{2})(?=\d)/g, '$1 ')}`;
  }
  if (code === '91' && rest.length === 10) return `+91 ${rest.slice(0, 5)} ${rest.slice(5)}`;
  if (code === '7' && rest.length === 10) {
    return `+7 ${rest.slice(0, 3)} ${rest.slice(3, 6)} ${rest.slice(6)}`;
  }
  const groups: string[] = [];
  let end = rest.length;
  while (end > 4) {
    groups.unshift(rest.slice(end - 4, end));
    end -= 4;
  }
  if (end > 0) groups.unshift(rest.slice(0, end));
  return `+${code} ${groups.join(' ')}`;
}

/** The flag emoji of an ISO 3166 two-letter code (`US` → 🇺🇸); empty for anything else. */
export function flagEmoji(country: string | null | undefined): string {
  if (!country || !/^[A-Za-z]{2}$/.test(country)) return '';
  const base = 0x1f1e6 - 'A'.charCodeAt(0);
  return String.fromCodePoint(...[...country.toUpperCase()].map((c) => base + c.charCodeAt(0)));
}
