import { Pipe, PipeTransform } from '@angular/core';

import { MoneyFormat, MoneyPrecision, formatMicros, formatMoney, parseMicros } from './money';

/**
 * Amounts in the organization's currency and the browser's locale, a dash when there is none:
 * `{{ wallet.availableMicros | money }}` to the cent (balances, totals),
 * `{{ call.costMicros | money: 'exact' }}` as precise as the amount is (rates, per-call costs),
 * `{{ tx.balanceChangeMicros | money: 'exact' : { signed: true } }}` with a `+` on increases.
 * Another currency: `money: 'exact' : { currency: call.providerCurrency }`, or to the cent
 * `money: 'EUR'`.
 */
@Pipe({ name: 'money' })
export class MoneyPipe implements PipeTransform {
  transform(
    micros: string | bigint | null | undefined,
    precisionOrCurrency?: MoneyPrecision | string | null,
    format: Omit<MoneyFormat, 'currency'> & { currency?: string | null } = {},
  ): string {
    if (parseMicros(micros) === null) return '—';
    if (precisionOrCurrency === 'exact' || precisionOrCurrency === 'cents') {
      return formatMoney(micros!, precisionOrCurrency, format);
    }
    if (format.maxFractionDigits !== undefined || format.minFractionDigits !== undefined) {
      // The older form, digits given by hand.
      return formatMicros(micros!, { ...format, currency: precisionOrCurrency || undefined });
    }
    return formatMoney(micros!, 'cents', {
      currency: precisionOrCurrency,
      signed: format.signed,
    });
  }
}
