import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import QueryStream from 'pg-query-stream';
import type { PoolClient } from 'pg';
import { Readable } from 'node:stream';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { csvStringifier, withDecimalAmounts } from '../../common/csv';
import { decodeCursor, encodeCursor } from '../../common/cursor';
import { AuthUser, isAdminRole } from '../auth/auth-user';
import { CallDetailView, CallList, CallView, toCallEventView, toCallView } from './call-view';
import { CallFilters, ListCallsQuery } from './calls.dto';
import { CallEvent } from './entities/call-event.entity';
import { Call } from './entities/call.entity';
import { hydrate } from '../../database/raw-rows';
import { Contact } from '../contacts/entities/contact.entity';
import { DncService } from '../dnc/dnc.service';
import { CallOutcomesService, isFinal, StoredOutcome } from './call-outcomes.service';
import { RecordingUrls } from '../recordings/recording-urls';
import { CallRecordingView } from './call-view';

const DEFAULT_PAGE = 50;
/** See namedContacts. */
const NAMED_CONTACTS_LISTED = 1000;
/** See saidOnCalls. */
const SAID_CALLS_LISTED = 5000;

/**
 * The rows a words-or-name search targets, looked up before the history's query: the contacts
 * of that name and the calls those words were said on, each when they are few enough to list
 * (null: too many, the query then reads them as a condition).
 */
interface SearchTargets {
  namedContacts: string[] | null;
  saidCalls: string[] | null;
}
const NO_TARGETS: SearchTargets = { namedContacts: null, saidCalls: null };

/**
 * What a history search looks for: a number when it is written like one (digits and + ( ) - . and
 * spaces), else a contact's name (lower case, LIKE's wildcards escaped).
 */
export function callSearch(q: string): { digits: string | null; name: string | null } {
  const text = q.trim();
  if (/^[\d\s+().-]+$/.test(text)) return { digits: text.replace(/\D/g, '') || null, name: null };
  const name = text.toLowerCase().replace(/[%_\\]/g, '\\$&');
  return { digits: null, name: name || null };
}

/** Reads of call history, always scoped to the caller: agents see their own calls, admins their organization's. */
@Injectable()
export class CallsService {
  /** See saidOnCalls (tests lower it to read words the other way). */
  saidCallsListed = SAID_CALLS_LISTED;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly dnc: DncService,
    private readonly outcomes: CallOutcomesService,
    private readonly recordingUrls: RecordingUrls,
  ) {}

  async list(caller: AuthUser, query: ListCallsQuery): Promise<CallList> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const targets = await this.searchTargets(caller, query.q);
    // Words said on many calls: a page is found within the newest calls, read in time order.
    // PostgreSQL's estimate of a word's frequency is rough (rare words outside its statistics are
    // taken for common ones and the reverse), and a phrase said on 1 % of calls had it fetch every
    // match and sort them (225 ms at 1M calls) instead of walking ~8,500 calls (25–50 ms).
    const walkInTimeOrder = Boolean(query.q && callSearch(query.q).name && !targets.saidCalls);
    return walkInTimeOrder
      ? this.dataSource.transaction(async (manager) => {
          await manager.query('SET LOCAL enable_sort = off');
          return this.page(manager, caller, query, targets, limit);
        })
      : this.page(this.dataSource.manager, caller, query, targets, limit);
  }

  private async page(
    manager: EntityManager,
    caller: AuthUser,
    query: ListCallsQuery,
    targets: SearchTargets,
    limit: number,
  ): Promise<CallList> {
    const builder = this.scoped(caller, query, targets, manager)
      .leftJoin('call.agent', 'agent')
      .addSelect(['agent.id', 'agent.name'])
      .leftJoin('call.contact', 'contact')
      .addSelect(['contact.id', 'contact.name'])
      // Whether each call of the page has a recording or transcript, and its summary (by
      // call_outcomes' key).
      .leftJoin('call_outcomes', 'outcome', 'outcome.call_id = call.id')
      .addSelect('outcome.recording_status', 'outcome_recording_status')
      .addSelect('outcome.transcript IS NOT NULL', 'outcome_has_transcript')
      .addSelect('outcome.summary', 'outcome_summary')
      .orderBy('call.created_at', 'DESC')
      .addOrderBy('call.id', 'DESC')
      // limit, not take: the joins are many-to-one, and take would wrap the query in a DISTINCT
      // of its ids and read the page in a second query.
      .limit(limit + 1);
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor, ['timestamp', 'uuid']);
      builder.andWhere('(call.created_at, call.id) < (:cursorCreatedAt, :cursorId)', {
        cursorCreatedAt: createdAt,
        cursorId: id,
      });
    }
    // Many-to-one joins only: raw rows and entities are aligned one to one.
    const { entities: calls, raw } = await builder.getRawAndEntities();
    const page = calls.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((call, index) => ({
        ...toCallView(call),
        hasRecording: raw[index]?.outcome_recording_status === 'stored',
        hasTranscript: raw[index]?.outcome_has_transcript === true,
        summary: raw[index]?.outcome_summary ?? null,
      })),
      nextCursor:
        calls.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  async get(caller: AuthUser, id: string): Promise<CallDetailView> {
    const call = await this.find(caller, id);
    const timeline = await this.dataSource.getRepository(CallEvent).find({
      where: { callId: call.id },
      order: { occurredAt: 'ASC', receivedAt: 'ASC' },
    });
    const outcome = await this.outcomes.find(this.dataSource.manager, call.id);
    return {
      ...toCallView(call),
      timeline: timeline.map(toCallEventView),
      recording: this.recordingView(caller, call.id, outcome),
      transcript: outcome?.transcript ?? null,
      summary: outcome?.summary ?? null,
      extractedData: outcome?.extractedData ?? null,
      hangupBy: outcome?.hangupBy ?? null,
      final: isFinal(call, outcome),
      finalizedAt: outcome?.finalizedAt?.toISOString() ?? null,
    };
  }

  /** The recording as the caller may see it: a signed Switchboard URL once stored, never the provider's. */
  private recordingView(
    caller: AuthUser,
    callId: string,
    outcome: StoredOutcome | null,
  ): CallRecordingView | null {
    if (!outcome?.recordingStatus) return null;
    const stored = outcome.recordingStatus === 'stored';
    const signed = stored ? this.recordingUrls.signedPath(callId) : null;
    return {
      url: signed?.url ?? null,
      urlExpiresAt: signed?.expiresAt ?? null,
      durationSeconds: outcome.recordingDurationSeconds,
      contentType: outcome.recordingContentType,
      sizeBytes: outcome.recordingSizeBytes,
      status: outcome.recordingStatus,
      attempts: outcome.recordingAttempts,
      error: isAdminRole(caller.role) ? outcome.recordingLastError : null,
      expiredAt: outcome.recordingExpiredAt?.toISOString() ?? null,
      retentionDays: outcome.recordingRetentionDays,
    };
  }

  /** One call as the caller may see it, or 404 (also for another organization's call). */
  async find(caller: AuthUser, id: string): Promise<Call> {
    const call = await this.scoped(caller, {})
      .leftJoin('call.agent', 'agent')
      .addSelect(['agent.id', 'agent.name'])
      .leftJoin('call.contact', 'contact')
      .addSelect(['contact.id', 'contact.name'])
      .andWhere('call.id = :id', { id })
      .getOne();
    if (!call) throw new NotFoundException(`Call ${id} not found`);
    return call;
  }

  /** The agent's note and disposition after a call (agents: their own calls; admins: any of the organization). */
  async annotate(
    caller: AuthUser,
    id: string,
    changes: { note?: string | null; disposition?: string | null },
  ): Promise<CallView> {
    const call = await this.find(caller, id);
    // The opt-out and the number's listing commit together: a saved do_not_call is never unlisted.
    await this.dataSource.transaction(async (manager) => {
      await manager.update(
        Call,
        { id: call.id },
        {
          // Absent: unchanged; null (or an empty note): cleared.
          note: changes.note === undefined ? call.note : changes.note || null,
          disposition: changes.disposition === undefined ? call.disposition : changes.disposition,
        },
      );
      // The other party's number: the callee, or the caller of an inbound call.
      const party = call.direction === 'inbound' ? call.fromNumber : call.toNumber;
      if (changes.disposition === 'do_not_call' && party) {
        await this.dnc.add(
          manager,
          {
            organizationId: call.organizationId,
            phone: party,
            reason: 'Call disposition: do not call',
            source: 'disposition',
            createdBy: caller.id,
          },
          caller,
        );
      }
    });
    return this.view(this.dataSource.manager, call.id);
  }

  /** One call as the API returns it (no caller scoping: for publishing after a commit). */
  /**
   * The calls among `callIds` that have ended: status and charge (null while not priced). For
   * modules that follow calls they placed (campaigns) without reading this module's tables.
   */
  async endedAmong(
    manager: EntityManager,
    callIds: string[],
  ): Promise<Map<string, { status: string; costMicros: bigint | null }>> {
    const ended = new Map<string, { status: string; costMicros: bigint | null }>();
    if (callIds.length === 0) return ended;
    const rows: { id: string; status: string; cost_micros: string | null }[] = await manager.query(
      `SELECT id, status, cost_micros FROM calls WHERE id = ANY($1::uuid[]) AND status = ANY($2)`,
      [callIds, ['completed', 'busy', 'no_answer', 'failed', 'cancelled']],
    );
    for (const row of rows) {
      ended.set(row.id, {
        status: row.status,
        costMicros: row.cost_micros === null ? null : BigInt(row.cost_micros),
      });
    }
    return ended;
  }

  async view(manager: EntityManager, callId: string): Promise<CallView> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT c.*, a.name AS agent_name, ct.name AS contact_name
         FROM calls c
         LEFT JOIN users a ON a.id = c.agent_id
         LEFT JOIN contacts ct ON ct.id = c.contact_id
        WHERE c.id = $1`,
      [callId],
    );
    if (!rows[0]) throw new NotFoundException(`Call ${callId} not found`);
    const call = hydrate(manager, Call, rows[0]);
    if (rows[0].contact_name !== null) call.contact = { name: rows[0].contact_name } as Contact;
    return toCallView(call, rows[0].agent_name as string | null);
  }

  /**
   * Streams the filtered history as CSV straight from a PostgreSQL cursor, with backpressure (the
   * cursor reads the next batch only when the client has taken the previous one): bounded memory
   * for any size.
   */
  async exportCsv(caller: AuthUser, filters: CallFilters): Promise<Readable> {
    const [sql, parameters] = this.scoped(
      caller,
      filters,
      await this.searchTargets(caller, filters.q),
    )
      .leftJoin('call.agent', 'agent')
      // What the provider learned after the call (one row per call, by its primary key).
      .leftJoin('call_outcomes', 'outcome', 'outcome.call_id = call.id')
      .select([
        'call.id AS id',
        'call.created_at AS created_at',
        'call.provider AS provider',
        'call.direction AS direction',
        'call.from_number AS from_number',
        'call.to_number AS to_number',
        'call.country AS country',
        'call.status AS status',
        'agent.name AS agent',
        'call.answered_at AS answered_at',
        'call.ended_at AS ended_at',
        'call.billable_seconds AS duration_seconds',
        'call.cost_micros AS cost_micros',
        'call.hangup_reason AS hangup_reason',
        'outcome.hangup_by AS hangup_by',
        'call.disposition AS disposition',
        'call.note AS note',
        'outcome.summary AS summary',
      ])
      .orderBy('call.created_at', 'DESC')
      .addOrderBy('call.id', 'DESC')
      .getQueryAndParameters();

    const runner = this.dataSource.createQueryRunner('slave');
    const client = (await runner.connect()) as PoolClient;
    // Small batches, and no more buffered than one: rows held in a stream's buffer live long enough
    // to be promoted to V8's old space, which grows before it is collected. With 1,000 rows per
    // batch, the export of 1M calls grew the api by about 160 MB; with 100, by a few MB (and it
    // was no slower: bench/history).
    const rows = client.query(
      new QueryStream(sql, parameters, { batchSize: 100, highWaterMark: 100 }),
    );
    const csv = csvStringifier([
      'id',
      'created_at',
      'provider',
      'direction',
      'from_number',
      'to_number',
      'country',
      'status',
      'agent',
      'answered_at',
      'ended_at',
      'duration_seconds',
      'cost_micros',
      'cost',
      'hangup_reason',
      'hangup_by',
      'disposition',
      'note',
      'summary',
    ]);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      void runner.release();
    };
    rows.on('error', (error) => csv.destroy(error));
    csv.on('close', () => {
      rows.destroy();
      release();
    });
    rows.on('end', release);
    return rows.pipe(withDecimalAmounts(['cost'])).pipe(csv);
  }

  /**
   * The contacts a name search matches, when they are few (at most NAMED_CONTACTS_LISTED): their
   * calls are then read by their ids, which PostgreSQL estimates exactly. Its estimate of a
   * substring match is rough, and a rare name taken for a common one had it walk the whole
   * history in time order (tens of thousands of calls) to fill a page. Null: not a name search,
   * or a name so common that reading the history in order finds a page at once.
   */
  private async namedContacts(caller: AuthUser, name: string): Promise<string[] | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM contacts WHERE organization_id = $1 AND sort_name LIKE $2 LIMIT $3`,
      [caller.organizationId, `%${name}%`, NAMED_CONTACTS_LISTED + 1],
    );
    return rows.length > NAMED_CONTACTS_LISTED ? null : rows.map((row) => row.id);
  }

  /**
   * The calls the words were said on (call_outcomes' GIN index over transcripts and summaries),
   * when they are few (at most SAID_CALLS_LISTED): their calls are then read by id, which
   * PostgreSQL estimates exactly. Null: said on so many calls that the newest ones hold a page.
   */
  private async saidOnCalls(caller: AuthUser, words: string): Promise<string[] | null> {
    const rows: { call_id: string }[] = await this.dataSource.query(
      `SELECT call_id FROM call_outcomes
        WHERE organization_id = $1 AND search @@ websearch_to_tsquery('simple', $2) LIMIT $3`,
      [caller.organizationId, words, this.saidCallsListed + 1],
    );
    return rows.length > this.saidCallsListed ? null : rows.map((row) => row.call_id);
  }

  private async searchTargets(caller: AuthUser, q: string | undefined): Promise<SearchTargets> {
    const name = q ? callSearch(q).name : null;
    if (!q || !name) return NO_TARGETS;
    const [namedContacts, saidCalls] = await Promise.all([
      this.namedContacts(caller, name),
      this.saidOnCalls(caller, q.trim()),
    ]);
    return { namedContacts, saidCalls };
  }

  private scoped(
    caller: AuthUser,
    filters: CallFilters,
    { namedContacts, saidCalls }: SearchTargets = NO_TARGETS,
    manager: EntityManager = this.dataSource.manager,
  ): SelectQueryBuilder<Call> {
    const builder = manager
      .getRepository(Call)
      .createQueryBuilder('call')
      .withDeleted() // before the joins: a deleted contact still names its calls
      .where('call.organization_id = :organizationId', { organizationId: caller.organizationId });
    // An agent never sees a colleague's call, whatever filter it sends.
    if (!isAdminRole(caller.role)) builder.andWhere('call.agent_id = :self', { self: caller.id });
    else if (filters.agentId)
      builder.andWhere('call.agent_id = :agentId', { agentId: filters.agentId });
    if (filters.status?.length)
      builder.andWhere('call.status IN (:...statuses)', { statuses: filters.status });
    if (filters.contactId)
      builder.andWhere('call.contact_id = :contactId', { contactId: filters.contactId });
    if (filters.provider)
      builder.andWhere('call.provider = :provider', { provider: filters.provider });
    if (filters.direction)
      builder.andWhere('call.direction = :direction', { direction: filters.direction });
    if (filters.country) builder.andWhere('call.country = :country', { country: filters.country });
    if (filters.from)
      builder.andWhere('call.created_at >= :from', { from: new Date(filters.from) });
    if (filters.to) builder.andWhere('call.created_at < :to', { to: new Date(filters.to) });
    if (filters.q) {
      const search = callSearch(filters.q);
      if (search.digits) {
        // Digits anywhere in either number: call_search's pg_trgm index (kept by triggers on calls).
        builder.andWhere(
          `call.id IN (SELECT found.call_id FROM call_search found
                        WHERE found.organization_id = :organizationId AND found.numbers LIKE :number)`,
          { number: `%${search.digits}%` },
        );
      } else if (search.name) {
        // Words said on the call (listed, or call_outcomes' GIN index over transcripts and
        // summaries), or the contact's name.
        const words = saidCalls
          ? 'call.id = ANY(:saidCalls)'
          : `call.id IN (SELECT said.call_id FROM call_outcomes said
               WHERE said.organization_id = :organizationId
                 AND said.search @@ websearch_to_tsquery('simple', :words))`;
        const wordsParameters = saidCalls ? { saidCalls } : { words: filters.q.trim() };
        if (namedContacts?.length === 0) {
          // No contact has that name: the words alone (with the OR, the planner walked the
          // organization's calls for a page that never fills).
          builder.andWhere(words, wordsParameters);
        } else if (namedContacts) {
          builder.andWhere(`(call.contact_id = ANY(:namedContacts) OR ${words})`, {
            namedContacts,
            ...wordsParameters,
          });
        } else {
          // The contacts' names (their pg_trgm index), then those contacts' calls (their own
          // index); deleted contacts too, as their calls still show their names.
          builder.andWhere(
            `(call.contact_id IN (SELECT named.id FROM contacts named
                                   WHERE named.organization_id = :organizationId AND named.sort_name LIKE :name)
              OR ${words})`,
            { name: `%${search.name}%`, ...wordsParameters },
          );
        }
      }
    }
    return builder;
  }
}
