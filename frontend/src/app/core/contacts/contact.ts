/** The shapes of the backend's contacts endpoints. Phones are E.164. */
export interface Contact {
  id: string;
  name: string;
  phone: string;
  /** ISO 3166 two-letter code of the number. */
  country: string | null;
  email: string | null;
  company: string | null;
  tags: string[];
  notes: string | null;
  lastCalledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ContactPage {
  items: Contact[];
  nextCursor: string | null;
}

/** What the create/edit form sends; the phone in any spelling (the server stores E.164). */
export interface ContactInput {
  name: string;
  phone: string;
  email?: string | null;
  company?: string | null;
  tags?: string[];
  notes?: string | null;
}

export interface ContactLookup {
  found: boolean;
  contact: Contact | null;
  /** The number in E.164, or null when it is not a valid number. */
  phone: string | null;
}

export const IMPORT_FIELDS = ['name', 'phone', 'email', 'company', 'tags', 'notes'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Header names to use for each field (`?phoneColumn=Mobile`); unset ones are guessed by the server. */
export type ImportMapping = Partial<Record<ImportField, string>>;

export interface ImportRowResult {
  /** Line of the file (the header is line 1). */
  line: number;
  outcome: 'created' | 'updated' | 'skipped';
  contactId?: string;
  reason?: string;
}

export interface ImportReport {
  id: string;
  rows: number;
  created: number;
  updated: number;
  skipped: number;
  /** Rows skipped or imported without something: the lines of the full report. */
  problems: number;
  /** The header each field was read from. */
  columns: Partial<Record<ImportField, string>>;
  /** The first 1,000 problem rows, by line (all of them unless `truncated`). */
  results: ImportRowResult[];
  truncated: boolean;
  /** Every problem row as CSV (`GET`). */
  reportUrl: string;
}

/** `contacts:import-progress`: running totals after each batch. */
export interface ContactImportProgress {
  rows: number;
  created: number;
  updated: number;
  skipped: number;
}
