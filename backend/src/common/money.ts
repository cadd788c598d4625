/** Money helpers: micro-units (1 unit = 1 000 000 micros) as bigint, never floating point. */
export const MICROS_PER_UNIT = 1_000_000n;

/**
 * Converts a decimal amount written as text (e.g. "18.76", "-0.0125", "3") in a unit that is
 * `10^-unitExponent` of the currency unit into micros, exactly. Cents: unitExponent 2.
 * Digits beyond micro precision are rounded half away from zero.
 */
export function decimalToMicros(amount: string | number, unitExponent = 0): bigint {
  const text = typeof amount === 'number' ? numberToPlainString(amount) : amount.trim();
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === ''))
    throw new Error(`Not a decimal amount: "${amount}"`);
  const [, sign, whole, fraction = ''] = match;
  const scale = 6 - unitExponent; // digits of the amount that stay in micros
  const digits = `${whole || '0'}${fraction}`;
  const pointAt = (whole || '0').length + scale;
  const kept = BigInt(
    digits.slice(0, Math.max(pointAt, 0)).padEnd(Math.max(pointAt, 0), '0') || '0',
  );
  const next = digits.charAt(pointAt);
  const rounded = next !== '' && Number(next) >= 5 ? kept + 1n : kept;
  return sign === '-' ? -rounded : rounded;
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Not a finite amount: ${value}`);
  // A JSON number prints as its shortest decimal; tiny or huge ones use exponent notation: shift it.
  const text = String(value);
  const exponent = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
  if (!exponent) return text;
  const [, sign, whole, fraction = '', power] = exponent;
  const digits = whole + fraction;
  const point = whole.length + Number(power);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Formats micros as a currency amount string with 2..6 decimals (e.g. 1234500 → "1.2345"). */
export function formatMicros(micros: bigint, minimumFractionDigits = 2): string {
  const negative = micros < 0n;
  const absolute = negative ? -micros : micros;
  const whole = absolute / MICROS_PER_UNIT;
  let fraction = (absolute % MICROS_PER_UNIT).toString().padStart(6, '0').replace(/0+$/, '');
  fraction = fraction.padEnd(minimumFractionDigits, '0');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * How an amount is shown to a person: `cents` for balances and totals (rounded half away from
 * zero), `exact` for rates and per-call costs (every significant micro, at least two decimals).
 */
export type MoneyPrecision = 'cents' | 'exact';

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** `formatMoney(1086487078n, 'USD')` → `"$1,086.49"`; `formatMoney(42900n, 'USD', 'exact')` → `"$0.0429"`. */
export function formatMoney(
  micros: bigint,
  currency: string,
  precision: MoneyPrecision = 'cents',
): string {
  const key = `${currency}:${precision}`;
  let format = moneyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency,
        minimumFractionDigits: 2,
        maximumFractionDigits: precision === 'exact' ? 6 : 2,
      });
    } catch {
      format = new Intl.NumberFormat('en-US', {
        minimumFractionDigits: 2,
        maximumFractionDigits: precision === 'exact' ? 6 : 2,
      });
    }
    moneyFormats.set(key, format);
  }
  // A decimal string keeps every digit (a number would lose them past 2^53 micros).
  return format.format(formatMicros(micros) as unknown as number);
}
