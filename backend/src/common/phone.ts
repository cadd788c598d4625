import { CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

export interface NormalizedPhone {
  /** E.164, e.g. +14155550100 */
  e164: string;
  /** ISO 3166 alpha-2, when the number belongs to one country */
  country: string | null;
}

/**
 * Reads a phone number typed any usual way ("(415) 555-0100", "+1 415 555 0100", "4155550100")
 * as E.164, using the organization's country for national numbers. null when it is not a valid number.
 */
export function normalizePhone(input: string, defaultCountry?: string): NormalizedPhone | null {
  const parsed = parsePhoneNumberFromString(
    input.trim(),
    defaultCountry as CountryCode | undefined,
  );
  if (!parsed || !parsed.isValid()) return null;
  return { e164: parsed.number, country: parsed.country ?? null };
}
