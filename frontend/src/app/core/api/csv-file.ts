import { HttpParams, HttpResponse } from '@angular/common/http';

/** A CSV download fetched through HttpClient (it needs the bearer token), ready for `saveFile`. */
export interface CsvFile {
  blob: Blob;
  filename: string;
}

/** The response body and the file name the server suggests (or `fallbackName`). */
export function toCsvFile(response: HttpResponse<Blob>, fallbackName: string): CsvFile {
  return {
    blob: response.body ?? new Blob([], { type: 'text/csv' }),
    filename: filenameFrom(response.headers.get('Content-Disposition')) ?? fallbackName,
  };
}

/** Query parameters from a filter object: empty values are left out, lists are comma-joined. */
export function toHttpParams(query: object): HttpParams {
  let params = new HttpParams();
  for (const [key, value] of Object.entries(query) as [string, unknown][]) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params = params.set(key, value.join(','));
    } else {
      params = params.set(key, String(value));
    }
  }
  return params;
}

function filenameFrom(disposition: string | null): string | null {
  const match = disposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  return match ? decodeURIComponent(match[1]) : null;
}
