import { HttpClient, HttpEvent, HttpParams, HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import { CsvFile, toCsvFile } from '../api/csv-file';
import {
  Contact,
  ContactInput,
  ContactLookup,
  ContactPage,
  ImportMapping,
  ImportReport,
} from './contact';

export interface ContactQuery {
  /** Name, company, or at least 3 digits of the number. */
  q?: string;
  tag?: string;
}

/** The organization's contacts: list, edit, lookup by number, CSV import and export. */
@Injectable({ providedIn: 'root' })
export class ContactsApi {
  private readonly http = inject(HttpClient);

  list(
    query: ContactQuery,
    page: { cursor?: string | null; limit?: number } = {},
  ): Observable<ContactPage> {
    let params = new HttpParams();
    if (query.q?.trim()) params = params.set('q', query.q.trim());
    if (query.tag) params = params.set('tag', query.tag);
    if (page.cursor) params = params.set('cursor', page.cursor);
    if (page.limit) params = params.set('limit', page.limit);
    return this.http.get<ContactPage>('/api/contacts', { params });
  }

  /** The contact alone; its calls come from `CallsApi.list({ contactId })`. */
  get(id: string): Observable<Contact> {
    return this.http.get<Contact>(`/api/contacts/${encodeURIComponent(id)}`);
  }

  create(contact: ContactInput): Observable<Contact> {
    return this.http.post<Contact>('/api/contacts', contact);
  }

  update(id: string, changes: Partial<ContactInput>): Observable<Contact> {
    return this.http.patch<Contact>(`/api/contacts/${encodeURIComponent(id)}`, changes);
  }

  remove(id: string): Observable<void> {
    return this.http.delete<void>(`/api/contacts/${encodeURIComponent(id)}`);
  }

  lookup(phone: string): Observable<ContactLookup> {
    return this.http.get<ContactLookup>('/api/contacts/lookup', { params: { phone } });
  }

  exportCsv(): Observable<CsvFile> {
    return this.http
      .get('/api/contacts/export.csv', { responseType: 'blob', observe: 'response' })
      .pipe(
        map((response: HttpResponse<Blob>) =>
          toCsvFile(response, `contacts-${new Date().toISOString().slice(0, 10)}.csv`),
        ),
      );
  }

  /** An import's full report (every problem row), which its answer links to. */
  importReport(report: ImportReport): Observable<CsvFile> {
    return this.http
      .get(report.reportUrl, { responseType: 'blob', observe: 'response' })
      .pipe(
        map((response: HttpResponse<Blob>) =>
          toCsvFile(response, `contact-import-${report.id}.csv`),
        ),
      );
  }

  /**
   * Uploads a CSV file as the raw body (`text/csv`, not multipart), reporting upload progress;
   * the last event is the response with the per-row report.
   */
  importCsv(file: Blob, mapping: ImportMapping = {}): Observable<HttpEvent<ImportReport>> {
    let params = new HttpParams();
    for (const [field, column] of Object.entries(mapping)) {
      if (column) params = params.set(`${field}Column`, column);
    }
    return this.http.post<ImportReport>('/api/contacts/import', file, {
      params,
      headers: { 'Content-Type': 'text/csv' },
      reportProgress: true,
      observe: 'events',
    });
  }
}
