import { Pipe, PipeTransform } from '@angular/core';

import { MoneyFormat, formatMicros, parseMicros } from './money';

/** `{{ call.costMicros | money }}`, `{{ micros | money: 'EUR' }}`; a dash when there is no amount. */
@Pipe({ name: 'money' })
export class MoneyPipe implements PipeTransform {
  transform(
    micros: string | bigint | null | undefined,
    currency?: string | null,
    format: Omit<MoneyFormat, 'currency'> = {},
  ): string {
    if (parseMicros(micros) === null) return '—';
    return formatMicros(micros!, { ...format, currency: currency || undefined });
  }
}
