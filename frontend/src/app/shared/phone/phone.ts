/**
 * Display helpers for E.164 numbers. Grouping is cosmetic (the stored number is always E.164):
 * North American numbers read `+1 415-555-0100`, others `+CC` followed by groups of digits.
 */

/** Country calling codes whose length is not 2 for the countries the console usually shows. */
const ONE_DIGIT_CODES = new Set(['1', '7']);
const THREE_DIGIT_PREFIXES = /^(2[1-9]\d|3[578]\d|42\d|5[09]\d|6[7-9]\d|8[578]\d|9[679]\d)/;

/** `+14155550100` → `+1 415-555-0100`; `+33142685300` → `+33 1 42 68 53 00`. Non-E.164 text is kept. */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const match = /^\+(\d{6,15})$/.exec(phone);
  if (!match) return phone;
  const digits = match[1];
  if (digits.startsWith('1') && digits.length === 11) {
    return `+1 ${digits.slice(1, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}`;
  }
  const codeLength = ONE_DIGIT_CODES.has(digits[0]) ? 1 : THREE_DIGIT_PREFIXES.test(digits) ? 3 : 2;
  const code = digits.slice(0, codeLength);
  const rest = digits.slice(codeLength);
  if (code === '33' && rest.length === 9) {
    return `+33 ${rest[0]} ${rest.slice(1).replace(/(\d{2})(?=\d)/g, '$1 ')}`;
  }
  if (code === '91' && rest.length === 10) return `+91 ${rest.slice(0, 5)} ${rest.slice(5)}`;
  // Groups of 3 from the left, with a last group of up to 5 digits.
  const groups: string[] = [];
  let i = 0;
  while (rest.length - i > 5) {
    groups.push(rest.slice(i, i + 3));
    i += 3;
  }
  groups.push(rest.slice(i));
  return `+${code} ${groups.join(' ')}`;
}

/** The flag emoji of an ISO 3166 two-letter code (`US` → 🇺🇸); empty for anything else. */
export function flagEmoji(country: string | null | undefined): string {
  if (!country || !/^[A-Za-z]{2}$/.test(country)) return '';
  const base = 0x1f1e6 - 'A'.charCodeAt(0);
  return String.fromCodePoint(...[...country.toUpperCase()].map((c) => base + c.charCodeAt(0)));
}
