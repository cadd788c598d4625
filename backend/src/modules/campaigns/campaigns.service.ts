import { InjectQueue } from '@nestjs/bullmq';
import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { csvStringifier } from '../../common/csv';
import { decodeCursor, encodeCursor } from '../../common/cursor';
import { normalizePhone } from '../../common/phone';
import { QueueName } from '../../queue/queue-name';
import { AuthUser } from '../auth/auth-user';
import { RatesService } from '../billing/rates.service';
import { isTimeZone, minutesOf } from '../calls/calling-hours';
import { CallOutcomesService } from '../calls/call-outcomes.service';
import { CallerId } from '../calls/entities/caller-id.entity';
import { ContactsService } from '../contacts/contacts.service';
import { DncService } from '../dnc/dnc.service';
import { ProviderRegistry } from '../providers/provider-registry';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { AuditService } from '../audit/audit.service';
import { deckPricer, ESTIMATE_CALL_SECONDS } from './campaign-estimate';
import { contactZoneKey, zoneOpen } from './campaign-windows';
import {
  AudiencePreview,
  PreviewAudienceDto,
  CampaignContactList,
  CampaignContactView,
  CampaignList,
  CampaignProgress,
  CampaignStats,
  CampaignView,
  OutcomeBucket,
  CreateCampaignDto,
  ListCampaignContactsQuery,
  ListCampaignsQuery,
} from './campaigns.dto';
import { CampaignJob, schedulerId, tickJob } from './campaign-jobs';
import { Campaign, CampaignStatus } from './entities/campaign.entity';
import { CampaignContact, SkipReason } from './entities/campaign-contact.entity';

const SNAPSHOT_PAGE = 1000;
/** Settled attempts before the estimate of the remaining cost trusts the campaign's answer rate. */
export const RATE_SAMPLE_MIN = 20;

/** The campaigns API: drafts, the audience snapshot at start, lifecycle, progress, outcomes. */
@Injectable()
export class CampaignsService {
  private readonly logger = new Logger(CampaignsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Campaigns) private readonly queue: Queue<CampaignJob>,
    private readonly contacts: ContactsService,
    private readonly dnc: DncService,
    private readonly providers: ProviderRegistry,
    private readonly realtime: RealtimePublisher,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly rates: RatesService,
    private readonly outcomes: CallOutcomesService,
  ) {}

  async create(caller: AuthUser, input: CreateCampaignDto): Promise<CampaignView> {
    const { audience } = input;
    if (!audience.tag && !audience.contactIds?.length) {
      throw new BadRequestException('audience must name a tag or contactIds');
    }
    if (audience.contactIds?.length) {
      const unique = [...new Set(audience.contactIds)];
      const owned = await this.contacts.countOwned(
        this.dataSource.manager,
        caller.organizationId,
        unique,
      );
      if (owned !== unique.length) {
        throw new BadRequestException(
          `audience.contactIds: ${unique.length - owned} of them are not contacts of your organization`,
        );
      }
      audience.contactIds = unique;
    }
    if (!this.providers.get(input.provider).isEnabled()) {
      throw new BadRequestException(
        `provider ${input.provider} is not configured on this Switchboard`,
      );
    }
    if (input.provider === 'bolna' && !input.bolnaAgentId) {
      throw new BadRequestException('bolnaAgentId is required for a bolna campaign');
    }
    if (input.provider !== 'bolna' && input.bolnaAgentId) {
      throw new BadRequestException('bolnaAgentId is for bolna campaigns only');
    }
    let callerId: string | null = null;
    if (input.callerId) {
      const phone = normalizePhone(input.callerId);
      if (!phone) throw new BadRequestException('callerId must be a valid phone number');
      callerId = phone.e164;
      if (
        input.provider !== 'exotel' &&
        !(await this.dataSource
          .getRepository(CallerId)
          .existsBy({ organizationId: caller.organizationId, number: callerId }))
      ) {
        throw new BadRequestException(
          `callerId ${callerId} is not one of your organization's caller IDs`,
        );
      }
    }
    const schedule = input.schedule ?? {};
    if (schedule.timeZone && !isTimeZone(schedule.timeZone)) {
      throw new BadRequestException(
        `schedule.timeZone ${schedule.timeZone} is not a time zone (e.g. America/New_York)`,
      );
    }
    for (const window of schedule.windows ?? []) {
      if (minutesOf(window.end) <= minutesOf(window.start)) {
        throw new BadRequestException(
          `schedule.windows: end ${window.end} must be after start ${window.start}`,
        );
      }
    }
    const retry = input.retry ?? { on: [], maxAttempts: 1, delaySeconds: 0 };
    const saved = await this.dataSource.transaction(async (manager) => {
      const campaign = await manager.getRepository(Campaign).save({
        organizationId: caller.organizationId,
        name: input.name.trim(),
        provider: input.provider,
        status: 'draft' as CampaignStatus,
        audience: {
          ...(audience.tag ? { tag: audience.tag } : {}),
          ...(audience.contactIds?.length ? { contactIds: audience.contactIds } : {}),
        },
        callerId,
        bolnaAgentId: input.bolnaAgentId ?? null,
        schedule: {
          startAt: schedule.startAt ? new Date(schedule.startAt).toISOString() : null,
          timeZone: schedule.timeZone ?? null,
          windows: schedule.windows?.length
            ? schedule.windows.map((w) => ({
                days: [...new Set(w.days)].sort(),
                start: w.start,
                end: w.end,
              }))
            : null,
        },
        maxConcurrent: input.pacing.maxConcurrent,
        perMinute: input.pacing.perMinute ?? null,
        retryOn: [...new Set(retry.on)],
        maxAttempts: retry.maxAttempts,
        retryDelaySeconds: retry.delaySeconds,
        createdBy: caller.id,
      });
      await this.audit.record(manager, {
        actor: caller,
        organizationId: caller.organizationId,
        action: 'campaign.created',
        target: { type: 'campaign', id: campaign.id },
        after: campaignState(campaign),
      });
      return campaign;
    });
    return this.view(saved);
  }

  /**
   * What a campaign over this audience would meet now (the console's step 1): how many contacts,
   * how many the do-not-call list or an invalid number would skip, how many are inside their
   * hours and windows right now. Pages through the audience; nothing is stored.
   */
  async preview(caller: AuthUser, input: PreviewAudienceDto): Promise<AudiencePreview> {
    if (!input.audience.tag && !input.audience.contactIds?.length) {
      throw new BadRequestException('audience must name a tag or contactIds');
    }
    const schedule = input.schedule ?? {};
    if (schedule.timeZone && !isTimeZone(schedule.timeZone)) {
      throw new BadRequestException(
        `schedule.timeZone ${schedule.timeZone} is not a time zone (e.g. America/New_York)`,
      );
    }
    const now = new Date();
    const enforce = this.config.CALLING_HOURS !== 'off';
    const openByKey = new Map<string, boolean>();
    const price = deckPricer(await this.rates.deck(caller.organizationId));
    let estimated = 0n;
    let currency: string | null = null;
    const result: AudiencePreview = {
      total: 0,
      dnc: 0,
      invalidNumber: 0,
      callableNow: 0,
      outsideHoursNow: 0,
      noRate: 0,
      estimatedCostMicros: '0',
      currency: 'USD',
      estimateCallSeconds: ESTIMATE_CALL_SECONDS,
    };
    let afterId: string | null = null;
    for (;;) {
      const page = await this.contacts.audiencePage(
        this.dataSource.manager,
        caller.organizationId,
        input.audience,
        afterId,
        SNAPSHOT_PAGE,
      );
      if (page.length === 0) break;
      const blocked = await this.dnc.blockedAmong(
        this.dataSource.manager,
        caller.organizationId,
        page.map((contact) => contact.phone),
      );
      for (const contact of page) {
        result.total += 1;
        const phone = normalizePhone(contact.phone);
        if (!phone) result.invalidNumber += 1;
        else if (blocked.has(contact.phone)) result.dnc += 1;
        else {
          const key = contactZoneKey(phone.e164, phone.country ?? contact.country);
          let open = openByKey.get(key);
          if (open === undefined) {
            open = zoneOpen(key, { ...schedule, startAt: null }, now, enforce);
            openByKey.set(key, open);
          }
          if (open) result.callableNow += 1;
          else result.outsideHoursNow += 1;
          const deck = price(phone.e164);
          if (!deck) result.noRate += 1;
          else {
            estimated += deck.micros;
            currency ??= deck.currency;
          }
        }
      }
      afterId = page.at(-1)!.id;
      if (page.length < SNAPSHOT_PAGE) break;
    }
    result.estimatedCostMicros = estimated.toString();
    if (currency) result.currency = currency;
    return result;
  }

  /**
   * What the campaign page shows beyond the counts (docs/campaigns.md, "Progress"): live attempts,
   * answer rate, outcomes over time and the estimated remaining cost:
   *   estimatedRemaining = Σ over contacts pending or in flight of
   *                        deckPrice(their number, ESTIMATE_CALL_SECONDS) × answerRate so far
   * (answerRate = answered / settled attempts; 1 until RATE_SAMPLE_MIN have settled). One attempt per remaining
   * contact: retries of unanswered calls cost nothing. Read on demand (not in every
   * campaign:updated event); each query is grouped, its answer bounded by buckets or prefixes.
   */
  async stats(caller: AuthUser, id: string): Promise<CampaignStats> {
    const campaign = await this.find(caller, id);
    const manager = this.dataSource.manager;
    const progress = await progressOf(manager, id);
    const [attempts]: { live: number; settled: number; answered: number }[] = await manager.query(
      `SELECT count(*) FILTER (WHERE state IN ('queued', 'placing', 'live'))::int AS live,
              count(*) FILTER (WHERE state = 'ended')::int AS settled,
              count(*) FILTER (WHERE state = 'ended' AND status = 'completed')::int AS answered
         FROM campaign_attempts WHERE campaign_id = $1`,
      [id],
    );
    const answerRate = attempts.settled > 0 ? attempts.answered / attempts.settled : null;

    const deck = await this.rates.deck(caller.organizationId);
    const price = deckPricer(deck);
    const longestPrefix = Math.max(
      1,
      ...[...deck.organization, ...deck.default].map((rate) => rate.prefix.length),
    );
    // Remaining contacts grouped by the digits a rate can depend on (few groups per campaign).
    const groups: { digits: string; contacts: number }[] = await manager.query(
      `SELECT left(phone, $2) AS digits, count(*)::int AS contacts
         FROM campaign_contacts WHERE campaign_id = $1 AND state IN ('pending', 'in_flight')
        GROUP BY 1`,
      [id, longestPrefix + 1],
    );
    // The answer rate as a fraction of 10,000 keeps the arithmetic in integer micros. Until enough
    // attempts have settled it says little (two busy numbers first would price the rest at 0):
    // every remaining contact is then assumed to answer.
    const pricedRate = answerRate !== null && attempts.settled >= RATE_SAMPLE_MIN ? answerRate : 1;
    const rateBasisPoints = BigInt(Math.round(pricedRate * 10_000));
    let remainingAttempts = 0;
    let estimated = 0n;
    let currency: string | null = null;
    for (const group of groups) {
      remainingAttempts += group.contacts;
      const deckPrice = price(group.digits);
      if (!deckPrice) continue;
      currency ??= deckPrice.currency;
      estimated += (deckPrice.micros * BigInt(group.contacts) * rateBasisPoints) / 10_000n;
    }

    const started = campaign.startedAt?.getTime() ?? Date.now();
    const until = campaign.endedAt?.getTime() ?? Date.now();
    const bucketSeconds = bucketWidth((until - started) / 1000);
    const rows: { bucket: number; status: string; count: number }[] = await manager.query(
      `SELECT floor(extract(epoch FROM ended_at) / $2)::bigint * $2 AS bucket, status, count(*)::int AS count
         FROM campaign_attempts WHERE campaign_id = $1 AND state = 'ended' AND ended_at IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1`,
      [id, bucketSeconds],
    );
    const buckets = new Map<number, OutcomeBucket>();
    for (const row of rows) {
      const at = Number(row.bucket);
      let bucket = buckets.get(at);
      if (!bucket) {
        bucket = {
          at: new Date(at * 1000).toISOString(),
          completed: 0,
          busy: 0,
          noAnswer: 0,
          failed: 0,
          cancelled: 0,
        };
        buckets.set(at, bucket);
      }
      if (row.status === 'completed') bucket.completed += row.count;
      else if (row.status === 'busy') bucket.busy += row.count;
      else if (row.status === 'no_answer') bucket.noAnswer += row.count;
      else if (row.status === 'cancelled') bucket.cancelled += row.count;
      else bucket.failed += row.count;
    }
    return {
      progress,
      live: attempts.live,
      settledAttempts: attempts.settled,
      answeredAttempts: attempts.answered,
      answerRate,
      remainingAttempts,
      expectedAttemptMicros:
        remainingAttempts > 0 ? (estimated / BigInt(remainingAttempts)).toString() : '0',
      estimatedRemainingMicros: estimated.toString(),
      currency: currency ?? deck.default[0]?.currency ?? 'USD',
      estimateCallSeconds: ESTIMATE_CALL_SECONDS,
      bucketSeconds,
      buckets: [...buckets.values()],
    };
  }

  async list(caller: AuthUser, query: ListCampaignsQuery): Promise<CampaignList> {
    const limit = query.limit ?? 50;
    const qb = this.dataSource
      .getRepository(Campaign)
      .createQueryBuilder('c')
      .where('c.organization_id = :org', { org: caller.organizationId })
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .take(limit + 1);
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor, ['timestamp', 'uuid']);
      qb.andWhere('(c.created_at, c.id) < (:at::timestamptz, :id::uuid)', { at, id });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: await Promise.all(page.map((row) => this.view(row))),
      nextCursor:
        rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  async get(caller: AuthUser, id: string): Promise<CampaignView> {
    return this.view(await this.find(caller, id));
  }

  /** Snapshots the audience (a page at a time), then runs: its scheduler job starts ticking. */
  async start(caller: AuthUser, id: string): Promise<CampaignView> {
    await this.dataSource.transaction(async (manager) => {
      const campaign = await this.lock(manager, caller, id);
      if (campaign.status !== 'draft') {
        throw new ConflictException(`campaign is ${campaign.status}; only a draft can be started`);
      }
      const zoneKeys = await this.snapshot(manager, campaign);
      if (zoneKeys === null) {
        throw new BadRequestException('the audience matches no contacts');
      }
      await manager.update(
        Campaign,
        { id },
        { status: 'running', pauseReason: null, startedAt: new Date(), zoneKeys: [...zoneKeys] },
      );
      await this.audit.record(manager, {
        actor: caller,
        organizationId: caller.organizationId,
        action: 'campaign.started',
        target: { type: 'campaign', id },
        before: { status: campaign.status },
        after: { status: 'running' },
      });
    });
    await this.ensureScheduler(id);
    return this.changed(caller, id);
  }

  async pause(caller: AuthUser, id: string): Promise<CampaignView> {
    await this.transition(caller, id, 'campaign.paused', ['running', 'paused'], {
      status: 'paused',
      pauseReason: 'manual',
    });
    return this.changed(caller, id);
  }

  async resume(caller: AuthUser, id: string): Promise<CampaignView> {
    await this.transition(caller, id, 'campaign.resumed', ['paused'], {
      status: 'running',
      pauseReason: null,
    });
    await this.ensureScheduler(id);
    return this.changed(caller, id);
  }

  /** Stops for good: contacts not dialed yet are skipped ('cancelled'); live calls end on their own. */
  async cancel(caller: AuthUser, id: string): Promise<CampaignView> {
    await this.dataSource.transaction(async (manager) => {
      const campaign = await this.lock(manager, caller, id);
      if (campaign.status === 'completed' || campaign.status === 'cancelled') {
        throw new ConflictException(`campaign is already ${campaign.status}`);
      }
      await manager.update(
        Campaign,
        { id },
        { status: 'cancelled', pauseReason: null, endedAt: new Date() },
      );
      await manager.query(
        `UPDATE campaign_contacts SET state = 'skipped', skip_reason = 'cancelled', updated_at = now()
          WHERE campaign_id = $1 AND state = 'pending'`,
        [id],
      );
      await this.audit.record(manager, {
        actor: caller,
        organizationId: caller.organizationId,
        action: 'campaign.cancelled',
        target: { type: 'campaign', id },
        before: { status: campaign.status },
        after: { status: 'cancelled' },
      });
    });
    return this.changed(caller, id);
  }

  async contactsPage(
    caller: AuthUser,
    id: string,
    query: ListCampaignContactsQuery,
  ): Promise<CampaignContactList> {
    await this.find(caller, id);
    const limit = query.limit ?? 50;
    const after = query.cursor ? Number(decodeCursor(query.cursor, ['text'])[0]) : 0;
    if (!Number.isInteger(after)) {
      throw new BadRequestException('cursor is invalid: use the nextCursor of a previous page');
    }
    const rows = await this.contactRows(id, after, limit + 1, query.state);
    const page = rows.slice(0, limit);
    const summaries = await this.outcomes.summariesOf(
      this.dataSource.manager,
      page.flatMap((row) => (row.last_call_id ? [row.last_call_id] : [])),
    );
    return {
      items: page.map((row) => ({
        ...toContactView(row),
        lastCallSummary: (row.last_call_id && summaries.get(row.last_call_id)) || null,
      })),
      nextCursor: rows.length > limit ? encodeCursor([String(page.at(-1)!.seq)]) : null,
    };
  }

  /** Every contact's outcome as CSV, streamed a page at a time. */
  async contactsCsv(caller: AuthUser, id: string): Promise<Readable> {
    await this.find(caller, id);
    const columns = [
      'name',
      'phone',
      'state',
      'outcome',
      'skip_reason',
      'attempts',
      'last_call_id',
      'call_ids',
      'last_call_summary',
    ];
    const csv = csvStringifier(columns);
    const pump = async () => {
      let after = 0;
      for (;;) {
        const rows = await this.contactRows(id, after, 1000);
        const summaries = await this.outcomes.summariesOf(
          this.dataSource.manager,
          rows.flatMap((row) => (row.last_call_id ? [row.last_call_id] : [])),
        );
        for (const row of rows) {
          const view = toContactView(row);
          const ok = csv.write({
            name: view.name,
            phone: view.phone,
            state: view.state,
            outcome: view.outcome ?? '',
            skip_reason: view.skipReason ?? '',
            attempts: view.attempts,
            last_call_id: view.lastCallId ?? '',
            call_ids: view.calls.join(' '),
            last_call_summary: (view.lastCallId && summaries.get(view.lastCallId)) || '',
          });
          if (!ok) await new Promise((resolve) => csv.once('drain', resolve));
        }
        if (rows.length < 1000) break;
        after = rows.at(-1)!.seq;
      }
      csv.end();
    };
    pump().catch((error: Error) => {
      this.logger.error(`campaign ${id} CSV export failed: ${error.message}`);
      csv.destroy(error);
    });
    return csv;
  }

  /** The campaign as the API returns it, with its progress. */
  async view(campaign: Campaign): Promise<CampaignView> {
    return toView(campaign, await progressOf(this.dataSource.manager, campaign.id));
  }

  private async contactRows(
    campaignId: string,
    afterSeq: number,
    limit: number,
    state?: string,
  ): Promise<ContactRow[]> {
    const params: unknown[] = [campaignId, afterSeq, limit];
    let where = '';
    if (state) {
      params.push(state);
      where = `AND cc.state = $4`;
    }
    return this.dataSource.query(
      `SELECT cc.id, cc.contact_id, cc.seq, cc.name, cc.phone, cc.state, cc.outcome, cc.skip_reason,
              cc.attempts, cc.next_attempt_at, cc.last_call_id,
              COALESCE((SELECT array_agg(a.call_id ORDER BY a.attempt) FROM campaign_attempts a
                         WHERE a.campaign_contact_id = cc.id AND a.call_id IS NOT NULL), '{}') AS calls
         FROM campaign_contacts cc
        WHERE cc.campaign_id = $1 AND cc.seq > $2 ${where}
        ORDER BY cc.seq
        LIMIT $3`,
      params,
    );
  }

  /**
   * Copies the audience into campaign_contacts, a page of contacts at a time (memory does not grow
   * with the audience). Numbers on the do-not-call list or invalid are skipped with their reason
   * at once. Returns the distinct zone keys, or null when the audience is empty.
   */
  private async snapshot(manager: EntityManager, campaign: Campaign): Promise<Set<string> | null> {
    const zoneKeys = new Set<string>();
    let afterId: string | null = null;
    let seq = 0;
    for (;;) {
      const page = await this.contacts.audiencePage(
        manager,
        campaign.organizationId,
        campaign.audience,
        afterId,
        SNAPSHOT_PAGE,
      );
      if (page.length === 0) break;
      const blocked = await this.dnc.blockedAmong(
        manager,
        campaign.organizationId,
        page.map((contact) => contact.phone),
      );
      const rows = page.map((contact) => {
        const phone = normalizePhone(contact.phone);
        const country = phone?.country ?? contact.country ?? null;
        const zoneKey = phone ? contactZoneKey(phone.e164, country) : '--|UTC';
        const skipReason: SkipReason | null = !phone
          ? 'invalid_number'
          : blocked.has(contact.phone)
            ? 'dnc'
            : null;
        if (!skipReason) zoneKeys.add(zoneKey);
        const variables: Record<string, string> = { name: contact.name, phone: contact.phone };
        if (contact.email) variables.email = contact.email;
        if (contact.company) variables.company = contact.company;
        return {
          campaignId: campaign.id,
          organizationId: campaign.organizationId,
          contactId: contact.id,
          seq: ++seq,
          name: contact.name,
          phone: phone?.e164 ?? contact.phone,
          country,
          zoneKey,
          variables,
          state: skipReason ? ('skipped' as const) : ('pending' as const),
          skipReason,
        };
      });
      await manager.insert(CampaignContact, rows);
      afterId = page.at(-1)!.id;
      if (page.length < SNAPSHOT_PAGE) break;
    }
    return seq === 0 ? null : zoneKeys;
  }

  private async transition(
    caller: AuthUser,
    id: string,
    action: string,
    from: CampaignStatus[],
    to: Partial<Campaign>,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const campaign = await this.lock(manager, caller, id);
      if (!from.includes(campaign.status)) {
        throw new ConflictException(
          `campaign is ${campaign.status}; this needs it ${from.join(' or ')}`,
        );
      }
      await manager.update(Campaign, { id }, to);
      await this.audit.record(manager, {
        actor: caller,
        organizationId: caller.organizationId,
        action,
        target: { type: 'campaign', id },
        before: { status: campaign.status, pauseReason: campaign.pauseReason },
        after: { status: to.status, pauseReason: to.pauseReason },
      });
    });
  }

  /** The scheduler job of a running or paused campaign (idempotent: one per campaign). */
  async ensureScheduler(id: string): Promise<void> {
    await this.queue.upsertJobScheduler(
      schedulerId(id),
      { every: this.config.CAMPAIGN_TICK_MS },
      tickJob(id),
    );
  }

  private async changed(caller: AuthUser, id: string): Promise<CampaignView> {
    const view = await this.get(caller, id);
    this.realtime.publishToAdmins(caller.organizationId, 'campaign:updated', view);
    return view;
  }

  private async find(caller: AuthUser, id: string): Promise<Campaign> {
    const campaign = await this.dataSource
      .getRepository(Campaign)
      .findOneBy({ id, organizationId: caller.organizationId });
    if (!campaign) throw new NotFoundException(`campaign ${id} not found`);
    return campaign;
  }

  private async lock(manager: EntityManager, caller: AuthUser, id: string): Promise<Campaign> {
    const campaign = await manager.findOne(Campaign, {
      where: { id, organizationId: caller.organizationId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!campaign) throw new NotFoundException(`campaign ${id} not found`);
    return campaign;
  }
}

/** Outcome buckets: the smallest width that keeps a campaign's span within about 40 of them. */
const BUCKET_WIDTHS = [10, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 86_400];
export function bucketWidth(spanSeconds: number): number {
  return BUCKET_WIDTHS.find((width) => spanSeconds / width <= 40) ?? BUCKET_WIDTHS.at(-1)!;
}

interface ContactRow {
  id: string;
  contact_id: string;
  seq: number;
  name: string;
  phone: string;
  state: string;
  outcome: string | null;
  skip_reason: string | null;
  attempts: number;
  next_attempt_at: Date | null;
  last_call_id: string | null;
  calls: string[];
}

function toContactView(row: ContactRow): Omit<CampaignContactView, 'lastCallSummary'> {
  return {
    id: row.id,
    contactId: row.contact_id,
    name: row.name,
    phone: row.phone,
    state: row.state,
    outcome: row.outcome,
    skipReason: row.skip_reason,
    attempts: row.attempts,
    nextAttemptAt:
      row.state === 'pending' && row.next_attempt_at
        ? new Date(row.next_attempt_at).toISOString()
        : null,
    calls: row.calls ?? [],
    lastCallId: row.last_call_id,
  };
}

/** Counts by state (one grouped scan of the campaign's rows) and the spend so far. */
export async function progressOf(
  manager: EntityManager,
  campaignId: string,
): Promise<CampaignProgress> {
  const [counts]: Record<string, number>[] = await manager.query(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE state = 'pending')::int AS pending,
            count(*) FILTER (WHERE state = 'in_flight')::int AS in_flight,
            count(*) FILTER (WHERE state = 'done' AND outcome = 'completed')::int AS completed,
            count(*) FILTER (WHERE state = 'done' AND outcome IS DISTINCT FROM 'completed')::int AS failed,
            count(*) FILTER (WHERE state = 'skipped')::int AS skipped,
            COALESCE(sum(attempts), 0)::int AS attempts
       FROM campaign_contacts WHERE campaign_id = $1`,
    [campaignId],
  );
  const [spend]: { spent: string | null }[] = await manager.query(
    `SELECT sum(cost_micros)::text AS spent FROM campaign_attempts WHERE campaign_id = $1`,
    [campaignId],
  );
  return {
    total: counts.total,
    pending: counts.pending,
    inFlight: counts.in_flight,
    completed: counts.completed,
    failed: counts.failed,
    skipped: counts.skipped,
    attempts: counts.attempts,
    spentMicros: spend.spent ?? '0',
  };
}

export function toView(campaign: Campaign, progress: CampaignProgress): CampaignView {
  return {
    id: campaign.id,
    name: campaign.name,
    provider: campaign.provider,
    status: campaign.status,
    pauseReason: campaign.pauseReason,
    audience: campaign.audience,
    callerId: campaign.callerId,
    bolnaAgentId: campaign.bolnaAgentId,
    schedule: {
      startAt: campaign.schedule.startAt ?? undefined,
      timeZone: campaign.schedule.timeZone ?? undefined,
      windows: campaign.schedule.windows ?? undefined,
    },
    pacing: {
      maxConcurrent: campaign.maxConcurrent,
      perMinute: campaign.perMinute ?? undefined,
    },
    retry: {
      on: campaign.retryOn,
      maxAttempts: campaign.maxAttempts,
      delaySeconds: campaign.retryDelaySeconds,
    },
    progress,
    startedAt: campaign.startedAt?.toISOString() ?? null,
    endedAt: campaign.endedAt?.toISOString() ?? null,
    createdAt: campaign.createdAt.toISOString(),
  };
}

/** What the audit log keeps of a new campaign: its settings. */
function campaignState(campaign: Campaign) {
  return {
    name: campaign.name,
    provider: campaign.provider,
    status: campaign.status,
    audience: campaign.audience,
    callerId: campaign.callerId,
    schedule: campaign.schedule,
    maxConcurrent: campaign.maxConcurrent,
    perMinute: campaign.perMinute,
    retryOn: campaign.retryOn,
    maxAttempts: campaign.maxAttempts,
    retryDelaySeconds: campaign.retryDelaySeconds,
  };
}
