import { ApiSchema, ApiView, Page, Refine } from '../api/api-schema';

/** The shapes of the backend's contacts endpoints. Phones are E.164. */
export type Contact = ApiView<'ContactView'>;

export type ContactPage = Page<Contact>;

/** What the create/edit form sends; the phone in any spelling (the server stores E.164). */
export type ContactInput = ApiSchema<'CreateContactDto'>;

export type ContactLookup = ApiView<'ContactLookup'>;

export const IMPORT_FIELDS = ['name', 'phone', 'email', 'company', 'tags', 'notes'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Header names to use for each field (`?phoneColumn=Mobile`); unset ones are guessed by the server. */
export type ImportMapping = Partial<Record<ImportField, string>>;

/** `contactId` and `reason` are left out when they do not apply. */
export type ImportRowResult = ApiSchema<'ImportRowResult'>;

export type ImportReport = Refine<
  ApiView<'ImportReport'>,
  {
    /** The header each field was read from. */
    columns: Partial<Record<ImportField, string>>;
    results: ImportRowResult[];
  }
>;

/** `contacts:import-progress`: running totals after each batch. */
export type ContactImportProgress = Pick<ImportReport, 'rows' | 'created' | 'updated' | 'skipped'>;
