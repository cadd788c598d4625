import { BadRequestException, Injectable, PayloadTooLargeException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parse } from 'csv-parse';
import { pipeline, Readable, Transform } from 'node:stream';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { OrganizationPhones } from '../auth/organization-phones';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { IMPORT_FIELDS, ImportField, ImportReport, ImportRowResult } from './contacts.dto';

const BATCH = 1000;
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** Header spellings recognised for each field (compared lower-cased, without spaces, dashes or underscores). */
const HEADER_ALIASES: Record<ImportField, string[]> = {
  name: ['name', 'fullname', 'contact', 'contactname', 'displayname'],
  phone: [
    'phone',
    'phonenumber',
    'number',
    'mobile',
    'mobilenumber',
    'cell',
    'telephone',
    'tel',
    'msisdn',
  ],
  email: ['email', 'emailaddress', 'mail'],
  company: ['company', 'organization', 'organisation', 'account', 'business'],
  tags: ['tags', 'tag', 'labels', 'groups'],
  notes: ['notes', 'note', 'comments', 'comment', 'description'],
};

const headerKey = (header: string) => header.toLowerCase().replace(/[\s_\-.]/g, '');

interface PendingRow {
  line: number;
  name: string;
  phone: string;
  country: string | null;
  email: string | null;
  company: string | null;
  tags: string[];
  notes: string | null;
  /** What was left out of an imported row, for its report line. */
  note: string | null;
}

/**
 * CSV import, streamed: rows are read from the request as they arrive and upserted by the thousand
 * (one INSERT … ON CONFLICT per batch), so 50k rows never sit in memory at once. Every row gets an
 * outcome: created, updated (the number belonged to a contact), or skipped with the reason; an
 * imported row with a field left out (an invalid email) says so in its reason.
 */
@Injectable()
export class ContactImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly realtime: RealtimePublisher,
  ) {}

  async import(
    caller: AuthUser,
    body: Readable,
    mapping: Partial<Record<ImportField, string>> = {},
  ): Promise<ImportReport> {
    const phones = await OrganizationPhones.of(this.dataSource.manager, caller.organizationId);
    let bytes = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > MAX_IMPORT_BYTES)
          done(
            new PayloadTooLargeException(
              `CSV files are limited to ${MAX_IMPORT_BYTES / 1024 / 1024} MB`,
            ),
          );
        else done(null, chunk);
      },
    });
    let columns: Partial<Record<ImportField, string>> | undefined;
    const parser = parse({
      bom: true,
      columns: (headers: string[]) => {
        columns = this.mapColumns(headers, mapping);
        return headers;
      },
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
    });
    // pipeline: an aborted upload or an oversized file ends the parse (and the loop below) with its error.
    pipeline(body, limit, parser, () => undefined);

    const report: ImportReport = {
      rows: 0,
      created: 0,
      updated: 0,
      skipped: 0,
      columns: {},
      results: [],
    };
    const seen = new Map<string, number>();
    let batch: PendingRow[] = [];
    const skip = (line: number, reason: string) => {
      report.results.push({ line, outcome: 'skipped', reason });
      report.skipped += 1;
    };

    try {
      for await (const { record, info } of parser as AsyncIterable<{
        record: Record<string, string>;
        info: { lines: number };
      }>) {
        report.rows += 1;
        const line = info.lines;
        // PostgreSQL text cannot hold NUL: such a row would fail its whole batch's INSERT.
        if (
          Object.values(record).some(
            (value) => typeof value === 'string' && value.includes('\u0000'),
          )
        ) {
          skip(line, 'contains a NUL character');
          continue;
        }
        const field = (name: ImportField) =>
          columns?.[name] ? (record[columns[name]!] ?? '').trim() : '';
        const rawPhone = field('phone');
        const name = field('name');
        if (!rawPhone) {
          skip(line, 'phone is empty');
          continue;
        }
        const phone = phones.read(rawPhone);
        if (!phone) {
          skip(line, `"${rawPhone}" is not a valid phone number`);
          continue;
        }
        if (!name) {
          skip(line, 'name is empty');
          continue;
        }
        const firstLine = seen.get(phone.e164);
        if (firstLine !== undefined) {
          skip(line, `same number as line ${firstLine}`);
          continue;
        }
        seen.set(phone.e164, line);
        const email = field('email');
        const validEmail = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);
        batch.push({
          line,
          name: name.slice(0, 200),
          phone: phone.e164,
          country: phone.country,
          email: validEmail ? email.toLowerCase().slice(0, 320) : null,
          company: field('company').slice(0, 200) || null,
          tags: [
            ...new Set(
              field('tags')
                .split(/[;|]/)
                .map((tag) => tag.trim().toLowerCase())
                .filter(Boolean),
            ),
          ].slice(0, 20),
          notes: field('notes') || null,
          note:
            email && !validEmail
              ? `email "${email.slice(0, 100)}" is not valid: imported without it`
              : null,
        });
        if (batch.length >= BATCH) {
          await this.upsert(caller, batch, report);
          batch = [];
        }
      }
      if (batch.length) await this.upsert(caller, batch, report);
    } catch (error) {
      if (error instanceof PayloadTooLargeException) throw error;
      if ((error as { code?: string }).code?.startsWith('CSV_')) {
        throw new BadRequestException(`The CSV could not be read: ${(error as Error).message}`);
      }
      throw error;
    }
    if (!columns)
      throw new BadRequestException(
        'The CSV file is empty: it needs a header row and at least one contact',
      );
    report.columns = columns;
    report.results.sort((a, b) => a.line - b.line);
    return report;
  }

  private mapColumns(
    headers: string[],
    mapping: Partial<Record<ImportField, string>>,
  ): Partial<Record<ImportField, string>> {
    const columns: Partial<Record<ImportField, string>> = {};
    for (const field of IMPORT_FIELDS) {
      const wanted = mapping[field];
      if (wanted) {
        if (!headers.includes(wanted))
          throw new BadRequestException(`The CSV has no column "${wanted}" (mapped to ${field})`);
        columns[field] = wanted;
        continue;
      }
      const found = headers.find((header) => HEADER_ALIASES[field].includes(headerKey(header)));
      if (found) columns[field] = found;
    }
    if (!columns.phone) {
      throw new BadRequestException(
        `No phone column: name one of ${HEADER_ALIASES.phone.join(', ')}, or pass phoneColumn=<header>. Headers found: ${headers.join(', ')}`,
      );
    }
    if (!columns.name) {
      throw new BadRequestException(
        `No name column: name one of ${HEADER_ALIASES.name.join(', ')}, or pass nameColumn=<header>`,
      );
    }
    return columns;
  }

  /** One statement per batch; `xmax = 0` tells a fresh insert from an update of an existing contact. */
  private async upsert(caller: AuthUser, batch: PendingRow[], report: ImportReport): Promise<void> {
    const values: unknown[] = [];
    const tuples = batch.map((row, index) => {
      const base = index * 9;
      values.push(
        caller.organizationId,
        row.name,
        row.name.toLowerCase(),
        row.phone,
        row.country,
        row.email,
        row.company,
        row.tags,
        row.notes,
      );
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7}, $${base + 8}::text[], $${base + 9})`;
    });
    const rows: { id: string; phone: string; inserted: boolean }[] = await this.dataSource.query(
      `INSERT INTO contacts (organization_id, name, sort_name, phone, country, email, company, tags, notes)
       VALUES ${tuples.join(', ')}
       ON CONFLICT (organization_id, phone) WHERE deleted_at IS NULL DO UPDATE SET
         name = EXCLUDED.name,
         sort_name = EXCLUDED.sort_name,
         email = coalesce(EXCLUDED.email, contacts.email),
         company = coalesce(EXCLUDED.company, contacts.company),
         tags = CASE WHEN cardinality(EXCLUDED.tags) > 0 THEN EXCLUDED.tags ELSE contacts.tags END,
         notes = coalesce(EXCLUDED.notes, contacts.notes),
         updated_at = now()
       RETURNING id, phone, (xmax = 0) AS inserted`,
      values,
    );
    const byPhone = new Map(rows.map((row) => [row.phone, row]));
    for (const row of batch) {
      const saved = byPhone.get(row.phone)!;
      const result: ImportRowResult = {
        line: row.line,
        outcome: saved.inserted ? 'created' : 'updated',
        contactId: saved.id,
        ...(row.note ? { reason: row.note } : {}),
      };
      report.results.push(result);
      if (saved.inserted) report.created += 1;
      else report.updated += 1;
    }
    this.realtime.publishToUser(caller.id, 'contacts:import-progress', {
      rows: report.rows,
      created: report.created,
      updated: report.updated,
      skipped: report.skipped,
    });
  }
}
