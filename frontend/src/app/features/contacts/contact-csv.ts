import { IMPORT_FIELDS, ImportField, ImportReport } from '../../core/contacts/contact';

/** Reads the header row of a CSV file (the first line, quotes honoured) without loading it all. */
export async function readCsvHeader(file: Blob): Promise<string[]> {
  const head = await blobText(file.slice(0, 64 * 1024));
  return parseCsvLine(firstRecord(head.replace(/^\uFEFF/, ''))).filter(Boolean);
}

function blobText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsText(blob);
  });
}

/** The first record of CSV text (a quoted field may span lines). */
function firstRecord(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if ((c === '\n' || c === '\r') && !quoted) return text.slice(0, i);
  }
  return text;
}

/** One CSV line as fields (RFC 4180 quoting). */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      fields.push(field.trim());
      field = '';
    } else {
      field += c;
    }
  }
  fields.push(field.trim());
  return fields;
}

const GUESSES: Readonly<Record<ImportField, RegExp>> = {
  name: /^(full[ _-]?name|name|contact|contact[ _-]?name)$/i,
  phone: /(phone|mobile|cell|number|tel)/i,
  email: /e-?mail/i,
  company: /(company|organi[sz]ation|account|employer)/i,
  tags: /(tags?|labels?|groups?)/i,
  notes: /(notes?|comments?|description)/i,
};

/** A first guess of which header holds each field (the server guesses the same way when unset). */
export function guessMapping(headers: readonly string[]): Partial<Record<ImportField, string>> {
  const mapping: Partial<Record<ImportField, string>> = {};
  const used = new Set<string>();
  for (const field of IMPORT_FIELDS) {
    const header = headers.find((h) => !used.has(h) && GUESSES[field].test(h.trim()));
    if (header) {
      mapping[field] = header;
      used.add(header);
    }
  }
  return mapping;
}

/** Quotes a CSV field when it needs it; neutralizes formulas (a cell starting with = + - @). */
export function csvField(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The import's per-row report as CSV: line, outcome, contact id, reason. */
export function importReportCsv(report: ImportReport): string {
  const lines = ['line,outcome,contact_id,reason'];
  for (const row of report.results) {
    lines.push(
      [row.line, row.outcome, row.contactId ?? '', row.reason ?? ''].map(csvField).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
