import { HttpClient, HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import { CsvFile, toCsvFile, toHttpParams } from '../api/csv-file';
import { BillingSummary, Quote, RateDeck, RateInput, SummaryQuery } from './billing';

/** Spend analytics, per-call quotes and the rate deck. */
@Injectable({ providedIn: 'root' })
export class BillingApi {
  private readonly http = inject(HttpClient);

  /** Agents get their own calls only. */
  summary(query: SummaryQuery): Observable<BillingSummary> {
    return this.http.get<BillingSummary>('/api/billing/summary', {
      params: toHttpParams(query),
    });
  }

  summaryCsv(query: SummaryQuery): Observable<CsvFile> {
    return this.http
      .get('/api/billing/summary.csv', {
        params: toHttpParams(query),
        responseType: 'blob',
        observe: 'response',
      })
      .pipe(
        map((response: HttpResponse<Blob>) =>
          toCsvFile(response, `billing-${query.groupBy}-${query.from.slice(0, 10)}.csv`),
        ),
      );
  }

  quote(to: string): Observable<Quote> {
    return this.http.get<Quote>('/api/billing/quote', { params: { to } });
  }

  /** Owners and admins. */
  rates(): Observable<RateDeck> {
    return this.http.get<RateDeck>('/api/billing/rates');
  }

  /** Owners and admins: replaces the organization's overrides with `rates`. */
  replaceRates(rates: readonly RateInput[]): Observable<RateDeck> {
    return this.http.put<RateDeck>('/api/billing/rates', { rates });
  }
}
