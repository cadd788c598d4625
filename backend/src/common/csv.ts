import { stringify, Stringifier } from 'csv-stringify';
import { Transform } from 'node:stream';
import { formatMicros } from './money';

/**
 * A cell a spreadsheet would run as a formula (OWASP CSV injection): it starts with `=`, `+`, `-`,
 * `@`, a tab or a carriage return.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell that is only a number (`-1.50`, `+14155550100`, `-1500000`) is read by spreadsheets as
 * that number, never as a formula: it is left as it is so amounts and E.164 numbers stay usable.
 */
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/** The text of a CSV cell, prefixed with `'` when a spreadsheet would otherwise evaluate it. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/**
 * The one way the api writes CSV: a csv-stringify stream with a header row whose text cells are
 * neutralized (numbers, bigints and dates are written as values; dates as ISO 8601). What is stored
 * stays as the user typed it; only the exported copy is changed.
 */
export function csvStringifier(columns: string[]): Stringifier {
  return stringify({
    header: true,
    columns,
    cast: {
      string: (value) => neutralizeFormula(value),
      date: (value) => value.toISOString(),
    },
  });
}

/**
 * An amount of micros as the exact decimal a spreadsheet reads (`"42900"` → `"0.0429"`,
 * `-1500000n` → `"-1.50"`); empty when there is none. Exports carry it beside the micros column.
 */
export function decimalAmount(micros: string | bigint | null | undefined): string {
  if (micros === null || micros === undefined || micros === '') return '';
  return formatMicros(BigInt(micros));
}

/**
 * Object-mode stream for row objects: writes `<name>` (the decimal amount) beside each
 * `<name>_micros` field of `names`, for exports whose rows come straight from the database.
 */
export function withDecimalAmounts(names: string[]): Transform {
  return new Transform({
    objectMode: true,
    transform(row: Record<string, unknown>, _encoding, done) {
      for (const name of names) {
        row[name] = decimalAmount(row[`${name}_micros`] as string | null | undefined);
      }
      done(null, row);
    },
  });
}
