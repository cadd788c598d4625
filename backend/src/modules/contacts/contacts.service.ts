import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { pipeline, Readable } from 'node:stream';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { SqlWrite } from '../../database/raw-rows';
import { csvStringifier } from '../../common/csv';
import { decodeCursor, encodeCursor } from '../../common/cursor';
import { NormalizedPhone } from '../../common/phone';
import { AuthUser } from '../auth/auth-user';
import { OrganizationPhones } from '../auth/organization-phones';
import { toContactView } from './contact-view';
import {
  ContactList,
  ContactLookup,
  ContactView,
  CreateContactDto,
  ListContactsQuery,
  UpdateContactDto,
} from './contacts.dto';
import { Contact } from './entities/contact.entity';

const UNIQUE_VIOLATION = '23505';

/** An organization's contacts: one per phone number (E.164), searchable, soft-deleted. */
/** What a campaign copies of a contact. */
export interface AudienceContact {
  id: string;
  name: string;
  phone: string;
  country: string | null;
  email: string | null;
  company: string | null;
}

@Injectable()
export class ContactsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Reads a number with the organization's country for national spellings; 400 naming the field when invalid. */
  async normalize(
    organizationId: string,
    phone: string,
    field = 'phone',
  ): Promise<NormalizedPhone> {
    return (await OrganizationPhones.of(this.dataSource.manager, organizationId)).require(
      phone,
      field,
    );
  }

  async list(caller: AuthUser, query: ListContactsQuery): Promise<ContactList> {
    const limit = query.limit ?? 50;
    const builder = this.dataSource
      .getRepository(Contact)
      .createQueryBuilder('contact')
      .where('contact.organization_id = :organizationId', { organizationId: caller.organizationId })
      .orderBy('contact.sort_name', 'ASC')
      .addOrderBy('contact.id', 'ASC')
      .take(limit + 1);
    if (query.q) {
      const digits = query.q.replace(/\D/g, '');
      const text = `%${query.q
        .trim()
        .toLowerCase()
        .replace(/[%_\\]/g, '\\$&')}%`;
      builder.andWhere(
        digits.length >= 3
          ? '(contact.sort_name LIKE :text OR lower(contact.company) LIKE :text OR contact.phone LIKE :digits)'
          : '(contact.sort_name LIKE :text OR lower(contact.company) LIKE :text)',
        { text, digits: `%${digits}%` },
      );
    }
    if (query.tag) builder.andWhere(':tag = ANY(contact.tags)', { tag: query.tag });
    if (query.cursor) {
      const [sortName, id] = decodeCursor(query.cursor, ['text', 'uuid']);
      builder.andWhere('(contact.sort_name, contact.id) > (:sortName, :id)', { sortName, id });
    }
    const rows = await builder.getMany();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toContactView),
      nextCursor: rows.length > limit && last ? encodeCursor([last.sortName, last.id]) : null,
    };
  }

  /** One contact; its calls are read through the calls list (`GET /api/calls?contactId=`). */
  async detail(caller: AuthUser, id: string): Promise<ContactView> {
    return toContactView(await this.find(caller.organizationId, id));
  }

  async lookup(caller: AuthUser, phone: string): Promise<ContactLookup> {
    const normalized = (
      await OrganizationPhones.of(this.dataSource.manager, caller.organizationId)
    ).read(phone ?? '');
    if (!normalized) return { found: false, contact: null, phone: null };
    const contact = await this.dataSource
      .getRepository(Contact)
      .findOneBy({ organizationId: caller.organizationId, phone: normalized.e164 });
    return {
      found: Boolean(contact),
      contact: contact ? toContactView(contact) : null,
      phone: normalized.e164,
    };
  }

  async create(caller: AuthUser, input: CreateContactDto): Promise<ContactView> {
    const phone = await this.normalize(caller.organizationId, input.phone);
    const contact = this.dataSource.getRepository(Contact).create({
      organizationId: caller.organizationId,
      name: input.name,
      sortName: input.name.toLowerCase(),
      phone: phone.e164,
      country: phone.country,
      email: input.email?.toLowerCase() ?? null,
      company: input.company ?? null,
      tags: input.tags ?? [],
      notes: input.notes ?? null,
    });
    await this.saveUnique(caller.organizationId, contact);
    return toContactView(contact);
  }

  async update(caller: AuthUser, id: string, changes: UpdateContactDto): Promise<ContactView> {
    const contact = await this.find(caller.organizationId, id);
    if (changes.phone !== undefined) {
      const phone = await this.normalize(caller.organizationId, changes.phone);
      contact.phone = phone.e164;
      contact.country = phone.country;
    }
    if (changes.name !== undefined) {
      contact.name = changes.name;
      contact.sortName = changes.name.toLowerCase();
    }
    if (changes.email !== undefined)
      contact.email = changes.email ? changes.email.toLowerCase() : null;
    if (changes.company !== undefined) contact.company = changes.company || null;
    if (changes.tags !== undefined) contact.tags = changes.tags;
    if (changes.notes !== undefined) contact.notes = changes.notes || null;
    await this.saveUnique(caller.organizationId, contact);
    return toContactView(contact);
  }

  /** Soft delete: the contact disappears from lists and lookups, its calls keep their link. */
  async remove(caller: AuthUser, id: string): Promise<void> {
    const contact = await this.find(caller.organizationId, id);
    await this.dataSource.getRepository(Contact).softDelete({ id: contact.id });
  }

  /** The contact a number belongs to, for linking a new call (inside the caller's transaction). */
  /**
   * One page of an audience (contacts with a tag and/or explicit ids, not deleted), in id order
   * after `afterId`: campaigns snapshot their contacts a page at a time, never all at once.
   */
  async audiencePage(
    manager: EntityManager,
    organizationId: string,
    audience: { tag?: string; contactIds?: string[] },
    afterId: string | null,
    limit: number,
  ): Promise<AudienceContact[]> {
    const params: unknown[] = [organizationId, audience.tag ?? null, audience.contactIds ?? null];
    let after = '';
    if (afterId) {
      params.push(afterId);
      after = `AND id > $${params.length}::uuid`;
    }
    params.push(limit);
    return manager.query(
      `SELECT id, name, phone, country, email, company
         FROM contacts
        WHERE organization_id = $1 AND deleted_at IS NULL
          AND (($2::text IS NOT NULL AND tags @> ARRAY[$2::text]) OR id = ANY($3::uuid[]))
          ${after}
        ORDER BY id
        LIMIT $${params.length}`,
      params,
    );
  }

  /** How many of `ids` are the organization's live contacts. */
  async countOwned(manager: EntityManager, organizationId: string, ids: string[]): Promise<number> {
    const [row]: { n: number }[] = await manager.query(
      `SELECT count(*)::int AS n FROM contacts
        WHERE organization_id = $1 AND deleted_at IS NULL AND id = ANY($2::uuid[])`,
      [organizationId, ids],
    );
    return row.n;
  }

  async idForPhone(
    manager: EntityManager,
    organizationId: string,
    e164: string,
  ): Promise<string | null> {
    const contact = await manager.findOne(Contact, {
      where: { organizationId, phone: e164 },
      select: { id: true },
    });
    return contact?.id ?? null;
  }

  /**
   * The statement that stamps when each contact was last called (never moving it back), for the
   * caller to send with its other writes (combineWrites).
   */
  lastCalledWrite(touches: { contactId: string; at: Date }[]): SqlWrite | null {
    if (touches.length === 0) return null;
    return {
      sql: `UPDATE contacts SET last_called_at = GREATEST(coalesce(contacts.last_called_at, t.at), t.at)
              FROM (SELECT contact_id, max(at) AS at
                      FROM unnest($1::uuid[], $2::timestamptz[]) AS u(contact_id, at) GROUP BY contact_id) t
             WHERE contacts.id = t.contact_id`,
      params: [
        touches.map((touch) => touch.contactId),
        touches.map((touch) => touch.at.toISOString()),
      ],
    };
  }

  exportCsv(caller: AuthUser): Readable {
    const csv = csvStringifier([
      'name',
      'phone',
      'email',
      'company',
      'tags',
      'notes',
      'last_called_at',
      'id',
    ]);
    const rows = async function* (this: ContactsService) {
      let cursor: string | undefined;
      do {
        const page = await this.list(caller, { cursor, limit: 200 });
        for (const contact of page.items) {
          yield [
            contact.name,
            contact.phone,
            contact.email ?? '',
            contact.company ?? '',
            contact.tags.join(';'),
            contact.notes ?? '',
            contact.lastCalledAt ?? '',
            contact.id,
          ];
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }.call(this);
    return pipeline(Readable.from(rows), csv, () => undefined);
  }

  private async find(organizationId: string, id: string): Promise<Contact> {
    const contact = await this.dataSource.getRepository(Contact).findOneBy({ id, organizationId });
    if (!contact) throw new NotFoundException(`Contact ${id} not found`);
    return contact;
  }

  /** Saves, turning the unique-phone violation into a 409 that names the contact holding the number. */
  private async saveUnique(organizationId: string, contact: Contact): Promise<void> {
    try {
      await this.dataSource.getRepository(Contact).save(contact);
    } catch (error) {
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
      ) {
        const holder = await this.dataSource
          .getRepository(Contact)
          .findOneBy({ organizationId, phone: contact.phone });
        throw new ConflictException(
          holder
            ? `${contact.phone} already belongs to contact "${holder.name}" (${holder.id})`
            : `${contact.phone} already belongs to another contact`,
        );
      }
      throw error;
    }
  }
}
