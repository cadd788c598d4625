import {
  BadRequestException,
  Injectable,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isEmail } from 'class-validator';
import { parse } from 'csv-parse';
import { pipeline, Readable, Transform } from 'node:stream';
import { DataSource } from 'typeorm';
import { csvStringifier } from '../../common/csv';
import { AuthUser } from '../auth/auth-user';
import { OrganizationPhones } from '../auth/organization-phones';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import {
  CONTACT_LIMITS,
  IMPORT_FIELDS,
  ImportField,
  ImportReport,
  ImportRowResult,
  INLINE_IMPORT_PROBLEMS,
  TAG_PATTERN,
  TAG_RULE,
} from './contacts.dto';
import { ContactImportProblem } from './entities/contact-import-problem.entity';
import { ContactImport } from './entities/contact-import.entity';

const BATCH = 1000;
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
/** How long an import's report can be downloaded; older ones go when the organization imports again. */
const REPORT_RETENTION_DAYS = 30;
/** User text quoted in a reason is cut to this many characters (a reason is not a copy of the file). */
const QUOTED = 100;

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

const quote = (text: string) =>
  JSON.stringify(text.length > QUOTED ? `${text.slice(0, QUOTED)}…` : text);

/** Why a field breaks the form's limits (class-validator's wording), or null. */
function tooLong(field: 'name' | 'phone' | 'company' | 'notes', value: string): string | null {
  const limit = CONTACT_LIMITS[field];
  return value.length > limit
    ? `${field} must be shorter than or equal to ${limit} characters`
    : null;
}

/**
 * The problem rows of one import: written to contact_import_problems a thousand at a time (the full
 * report), and the first INLINE_IMPORT_PROBLEMS of them, by line, kept for the answer. Memory stays
 * bounded however many rows the file has.
 */
class ProblemLog {
  count = 0;
  private pending: ImportRowResult[] = [];
  private inline: ImportRowResult[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly importId: string,
  ) {}

  async add(problem: ImportRowResult): Promise<void> {
    this.count += 1;
    this.pending.push(problem);
    this.inline.push(problem);
    // Rows imported with a note arrive a batch late, so the first lines are known only at the end:
    // keep twice the limit, then cut back to the lowest lines.
    if (this.inline.length >= 2 * INLINE_IMPORT_PROBLEMS) this.trim();
    if (this.pending.length >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    await this.dataSource.query(
      `INSERT INTO contact_import_problems (import_id, line, outcome, contact_id, reason)
       SELECT $1, * FROM unnest($2::int[], $3::varchar[], $4::uuid[], $5::text[])`,
      [
        this.importId,
        rows.map((row) => row.line),
        rows.map((row) => row.outcome),
        rows.map((row) => row.contactId ?? null),
        rows.map((row) => row.reason ?? ''),
      ],
    );
  }

  first(): ImportRowResult[] {
    this.trim();
    return this.inline;
  }

  private trim() {
    this.inline.sort((a, b) => a.line - b.line);
    this.inline.length = Math.min(this.inline.length, INLINE_IMPORT_PROBLEMS);
  }
}

/**
 * CSV import, streamed: rows are read from the request as they arrive and upserted by the thousand
 * (one INSERT … ON CONFLICT per batch), so 50k rows never sit in memory at once. Every row gets an
 * outcome: created, updated (the number belonged to a contact), or skipped with the reason; an
 * imported row with a field left out (an invalid email) says so in its reason. Rows are held to
 * the same limits as the contact form (CONTACT_LIMITS). The answer carries the totals and the
 * first problem rows; the full report of problem rows is kept and streamed as CSV on request.
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
    await this.forgetOldImports(caller.organizationId);
    const record = await this.dataSource
      .getRepository(ContactImport)
      .save({ organizationId: caller.organizationId, userId: caller.id });
    const problems = new ProblemLog(this.dataSource, record.id);
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
      id: record.id,
      rows: 0,
      created: 0,
      updated: 0,
      skipped: 0,
      problems: 0,
      columns: {},
      results: [],
      truncated: false,
      reportUrl: `/api/contacts/imports/${record.id}/report.csv`,
    };
    const seen = new Map<string, number>();
    let batch: PendingRow[] = [];
    const skip = (line: number, reason: string) => {
      report.skipped += 1;
      return problems.add({ line, outcome: 'skipped', reason });
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
          await skip(line, 'phone is empty');
          continue;
        }
        const phoneTooLong = tooLong('phone', rawPhone);
        if (phoneTooLong) {
          await skip(line, phoneTooLong);
          continue;
        }
        const phone = phones.read(rawPhone);
        if (!phone) {
          await skip(line, `${quote(rawPhone)} is not a valid phone number`);
          continue;
        }
        if (!name) {
          await skip(line, 'name is empty');
          continue;
        }
        const company = field('company');
        const notes = field('notes');
        const tags = [
          ...new Set(
            field('tags')
              .split(/[;|]/)
              .map((tag) => tag.trim().toLowerCase())
              .filter(Boolean),
          ),
        ];
        const badTag = tags.find((tag) => !TAG_PATTERN.test(tag));
        const broken =
          tooLong('name', name) ??
          tooLong('company', company) ??
          tooLong('notes', notes) ??
          (tags.length > CONTACT_LIMITS.tags
            ? `tags must contain no more than ${CONTACT_LIMITS.tags} elements`
            : null) ??
          (badTag !== undefined ? `${TAG_RULE} (not ${quote(badTag)})` : null);
        if (broken) {
          await skip(line, broken);
          continue;
        }
        const firstLine = seen.get(phone.e164);
        if (firstLine !== undefined) {
          await skip(line, `same number as line ${firstLine}`);
          continue;
        }
        seen.set(phone.e164, line);
        const email = field('email');
        const validEmail = email.length <= CONTACT_LIMITS.email && isEmail(email);
        batch.push({
          line,
          name,
          phone: phone.e164,
          country: phone.country,
          email: validEmail ? email.toLowerCase() : null,
          company: company || null,
          tags,
          notes: notes || null,
          note:
            email && !validEmail ? `email ${quote(email)} is not valid: imported without it` : null,
        });
        if (batch.length >= BATCH) {
          await this.upsert(caller, batch, report, problems);
          batch = [];
        }
      }
      if (batch.length) await this.upsert(caller, batch, report, problems);
      await problems.flush();
    } catch (error) {
      // Contacts already upserted stay; a report of a failed import would mislead.
      await this.dataSource.getRepository(ContactImport).delete({ id: record.id });
      if (error instanceof PayloadTooLargeException) throw error;
      if ((error as { code?: string }).code?.startsWith('CSV_')) {
        throw new BadRequestException(`The CSV could not be read: ${(error as Error).message}`);
      }
      throw error;
    }
    if (!columns) {
      await this.dataSource.getRepository(ContactImport).delete({ id: record.id });
      throw new BadRequestException(
        'The CSV file is empty: it needs a header row and at least one contact',
      );
    }
    report.columns = columns;
    report.problems = problems.count;
    report.results = problems.first();
    report.truncated = report.results.length < report.problems;
    await this.dataSource.getRepository(ContactImport).update(record.id, {
      rows: report.rows,
      created: report.created,
      updated: report.updated,
      skipped: report.skipped,
      problems: report.problems,
    });
    return report;
  }

  /**
   * The full report of an import of the caller's organization: every problem row, by line, as CSV,
   * read a page at a time (keyset on line) so its size never matters.
   */
  async reportCsv(caller: AuthUser, importId: string): Promise<Readable> {
    const found = await this.dataSource
      .getRepository(ContactImport)
      .existsBy({ id: importId, organizationId: caller.organizationId });
    if (!found) throw new NotFoundException(`Import ${importId} not found`);
    const dataSource = this.dataSource;
    const rows = async function* () {
      let after = 0;
      for (;;) {
        const page: Pick<ContactImportProblem, 'line' | 'outcome' | 'contactId' | 'reason'>[] =
          await dataSource.query(
            `SELECT line, outcome, contact_id AS "contactId", reason FROM contact_import_problems
              WHERE import_id = $1 AND line > $2 ORDER BY line LIMIT $3`,
            [importId, after, BATCH],
          );
        for (const problem of page)
          yield [problem.line, problem.outcome, problem.contactId ?? '', problem.reason];
        if (page.length < BATCH) return;
        after = page[page.length - 1].line;
      }
    };
    return pipeline(
      Readable.from(rows()),
      csvStringifier(['line', 'outcome', 'contact_id', 'reason']),
      () => undefined,
    );
  }

  private async forgetOldImports(organizationId: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM contact_imports
        WHERE organization_id = $1 AND created_at < now() - make_interval(days => $2)`,
      [organizationId, REPORT_RETENTION_DAYS],
    );
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
  private async upsert(
    caller: AuthUser,
    batch: PendingRow[],
    report: ImportReport,
    problems: ProblemLog,
  ): Promise<void> {
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
      const outcome = saved.inserted ? 'created' : 'updated';
      if (row.note)
        await problems.add({ line: row.line, outcome, contactId: saved.id, reason: row.note });
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
