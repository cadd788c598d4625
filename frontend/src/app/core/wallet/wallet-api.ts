import { HttpClient, HttpHeaders, HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import { CsvFile, toCsvFile, toHttpParams } from '../api/csv-file';
import { Payment, TopUp, TransactionPage, TransactionQuery, Wallet } from './wallet';

/** The organization's wallet: balance, settings, ledger transactions and top-ups. */
@Injectable({ providedIn: 'root' })
export class WalletApi {
  private readonly http = inject(HttpClient);

  get(): Observable<Wallet> {
    return this.http.get<Wallet>('/api/wallet');
  }

  /** Owners and admins: warn when available falls below this many micros. */
  setLowBalanceThreshold(micros: string): Observable<Wallet> {
    return this.http.patch<Wallet>('/api/wallet', { lowBalanceThresholdMicros: micros });
  }

  transactions(
    query: TransactionQuery,
    page: { cursor?: string | null; limit?: number } = {},
  ): Observable<TransactionPage> {
    let params = toHttpParams(query);
    if (page.cursor) params = params.set('cursor', page.cursor);
    if (page.limit) params = params.set('limit', page.limit);
    return this.http.get<TransactionPage>('/api/wallet/transactions', { params });
  }

  exportCsv(query: TransactionQuery): Observable<CsvFile> {
    return this.http
      .get('/api/wallet/transactions/export.csv', {
        params: toHttpParams(query),
        responseType: 'blob',
        observe: 'response',
      })
      .pipe(
        map((response: HttpResponse<Blob>) =>
          toCsvFile(response, `wallet-transactions-${new Date().toISOString().slice(0, 10)}.csv`),
        ),
      );
  }

  /**
   * Owners and admins: starts a payment (pending, with the provider's `checkoutUrl`) once per
   * `idempotencyKey`; the same key again (a retry) answers the same payment. The wallet is credited
   * only when the payment provider confirms it.
   */
  topUp(topUp: TopUp, idempotencyKey: string): Observable<Payment> {
    return this.http.post<Payment>('/api/wallet/topups', topUp, {
      headers: new HttpHeaders({ 'Idempotency-Key': idempotencyKey }),
    });
  }

  /** Owners and admins: payments in progress and receipts, newest first. */
  payments(): Observable<{ items: Payment[] }> {
    return this.http.get<{ items: Payment[] }>('/api/wallet/payments');
  }
}
