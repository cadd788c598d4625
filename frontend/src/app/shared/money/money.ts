import { displaySettings, displaySettingsVersion } from '../format/display-settings';

/**
 * Money arrives as integer micro-units (1 unit = 1,000,000 micros) in decimal strings. It is
 * formatted with BigInt arithmetic only: a JS number would lose precision past 2^53 micros and
 * turn 0.1 + 0.2 into 0.30000000000000004.
 */
export const MICROS_PER_UNIT = 1_000_000n;

export interface MoneyFormat {
  /** ISO 4217 code; the organization's currency is USD unless told otherwise. */
  currency?: string;
  /** Fraction digits always shown (default 2). */
  minFractionDigits?: number;
  /** Fraction digits at most; the rest is rounded half away from zero (default 4, at most 6). */
  maxFractionDigits?: number;
  /** Show a `+` before positive amounts (changes of a balance). */
  signed?: boolean;
}

/** Parses an integer micros value; null for anything that is not one. */
export function parseMicros(value: string | bigint | null | undefined): bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return /^-?\d+$/.test(text) ? BigInt(text) : null;
}

/** `"1234500"` → `"$1.2345"`, `"-2500000"` → `"-$2.50"`, `"1234567890000"` → `"$1,234,567.89"`. */
export function formatMicros(micros: string | bigint, format: MoneyFormat = {}): string {
  const value = parseMicros(micros);
  if (value === null) throw new Error(`Not an integer amount of micros: ${String(micros)}`);
  const maxDigits = clamp(format.maxFractionDigits ?? 4, 0, 6);
  const minDigits = clamp(format.minFractionDigits ?? 2, 0, maxDigits);

  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const step = 10n ** BigInt(6 - maxDigits);
  const rounded = (magnitude + step / 2n) / step; // half away from zero, in units of `step`
  const base = 10n ** BigInt(maxDigits);
  const whole = rounded / base;
  let fraction = maxDigits ? (rounded % base).toString().padStart(maxDigits, '0') : '';
  while (fraction.length > minDigits && fraction.endsWith('0')) fraction = fraction.slice(0, -1);

  const sign = rounded === 0n ? '' : negative ? '-' : format.signed ? '+' : '';
  const digits = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${currencyPrefix(format.currency ?? 'USD')}${digits}${fraction ? `.${fraction}` : ''}`;
}

/** The symbol shown before amounts of `currency`: `$`, `€`, or the code itself (`AED`). */
export function currencySymbol(currency = 'USD'): string {
  return currencyPrefix(currency).trim();
}

const prefixes = new Map<string, string>();

function currencyPrefix(currency: string): string {
  const code = currency.trim().toUpperCase();
  let prefix = prefixes.get(code);
  if (prefix === undefined) {
    try {
      const symbol =
        new Intl.NumberFormat('en-US', { style: 'currency', currency: code })
          .formatToParts(0)
          .find((part) => part.type === 'currency')?.value ?? code;
      prefix = /^[A-Z]{3}$/.test(symbol) ? `${symbol}\u00a0` : symbol;
    } catch {
      prefix = `${code}\u00a0`; // not an ISO 4217 code Intl knows: show it as is
    }
    prefixes.set(code, prefix);
  }
  return prefix;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(Math.trunc(value), min), max);
}

/** Why a typed amount was refused (see `parseAmount`). */
export type AmountError = 'required' | 'format' | 'negative' | 'precision' | 'tooLarge';

export type ParsedAmount = { micros: bigint; error: null } | { micros: null; error: AmountError };

/** Digits of micros the API accepts in one amount: up to 9,999,999.999999 units. */
export const MAX_AMOUNT_MICRO_DIGITS = 13;

/**
 * Reads an amount typed in currency units ("25", "25.5", "0.013", "1,250.00") as exact micros,
 * with string arithmetic only: `parseFloat("0.013") * 1e6` is 12999.999999999998.
 */
export function parseAmount(
  text: string | null | undefined,
  maxMicroDigits = MAX_AMOUNT_MICRO_DIGITS,
): ParsedAmount {
  const value = (text ?? '').trim().replace(/\s+/g, '');
  if (!value) return { micros: null, error: 'required' };
  if (/^-/.test(value)) return { micros: null, error: 'negative' };
  const plain = value.replace(/^\+/, '');
  // Thousands separators are accepted only where they group digits in threes ("1,250.50").
  const grouped = /^\d{1,3}(,\d{3})+(\.\d*)?$/.test(plain);
  const digits = grouped ? plain.replace(/,/g, '') : plain;
  const match = /^(\d*)(?:\.(\d*))?$/.exec(digits);
  if (!match || (!match[1] && !match[2])) return { micros: null, error: 'format' };
  const [, whole, fraction = ''] = match;
  if (fraction.length > 6) return { micros: null, error: 'precision' };
  const micros = BigInt(whole || '0') * MICROS_PER_UNIT + BigInt(fraction.padEnd(6, '0'));
  if (micros.toString().length > maxMicroDigits) {
    return { micros: null, error: 'tooLarge' };
  }
  return { micros, error: null };
}

/** Micros as a plain decimal for an input field: `"5000000"` → `"5.00"`, `"13000"` → `"0.013"`. */
export function microsToDecimal(micros: string | bigint, minFractionDigits = 2): string {
  const value = parseMicros(micros);
  if (value === null) throw new Error(`Not an integer amount of micros: ${String(micros)}`);
  const magnitude = value < 0n ? -value : value;
  let fraction = (magnitude % MICROS_PER_UNIT).toString().padStart(6, '0');
  while (fraction.length > minFractionDigits && fraction.endsWith('0')) {
    fraction = fraction.slice(0, -1);
  }
  const whole = (magnitude / MICROS_PER_UNIT).toString();
  return `${value < 0n ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * How an amount is shown: `cents` for balances and totals (rounded half away from zero to the
 * currency's minor unit), `exact` for per-minute rates and per-call costs (every significant
 * micro, at least two decimals: $0.013/min, $0.0429).
 */
export type MoneyPrecision = 'cents' | 'exact';

let moneyFormatsVersion = -1;
let moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * `"1086487078"` → `"$1,086.49"` (de-DE: `"1.086,49 $"`), in the organization's currency and the
 * browser's locale. Exact: the decimal goes to Intl as a string, never through a JS number.
 */
export function formatMoney(
  micros: string | bigint,
  precision: MoneyPrecision = 'cents',
  options: { currency?: string | null; signed?: boolean } = {},
): string {
  const value = parseMicros(micros);
  if (value === null) throw new Error(`Not an integer amount of micros: ${String(micros)}`);
  const settings = displaySettings();
  const currency = (options.currency || settings.currency).trim().toUpperCase();
  if (moneyFormatsVersion !== displaySettingsVersion()) {
    moneyFormatsVersion = displaySettingsVersion();
    moneyFormats = new Map();
  }
  const key = `${currency}:${precision}:${options.signed ? '+' : ''}`;
  let format = moneyFormats.get(key);
  if (!format) {
    const digits = {
      minimumFractionDigits: 2,
      maximumFractionDigits: precision === 'exact' ? 6 : 2,
      // 'negative': a negative amount that rounds to zero shows as zero (ES2023).
      signDisplay: (options.signed ? 'exceptZero' : 'negative') as 'exceptZero',
    };
    try {
      // narrowSymbol: "$25.00" in an en-GB browser too, not "US$25.00" (one currency per organization).
      format = new Intl.NumberFormat(settings.locale, {
        style: 'currency',
        currency,
        currencyDisplay: 'narrowSymbol',
        ...digits,
      });
    } catch {
      format = new Intl.NumberFormat(settings.locale, digits); // not a code Intl knows
    }
    moneyFormats.set(key, format);
  }
  // Intl.NumberFormat takes a decimal string exactly (ES2023); TypeScript's lib types lag.
  return format.format(microsToDecimal(value) as unknown as number);
}
