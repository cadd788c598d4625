import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { PaymentRequiredException } from '../../common/errors';
import { normalizePhone } from '../../common/phone';
import { QueueName } from '../../queue/queue-name';
import {
  assertNotSuspended,
  OrganizationSuspendedException,
} from '../billing/call-billing.service';
import { callCost } from '../billing/rating';
import { RatesService, toRateTerms } from '../billing/rates.service';
import { CallPlacementService, ServerPlacement } from '../calls/call-placement.service';
import { CallsService } from '../calls/calls.service';
import { Call } from '../calls/entities/call.entity';
import { DncService } from '../dnc/dnc.service';
import { ProviderRegistry } from '../providers/provider-registry';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { WalletService } from '../wallet/wallet.service';
import { attemptJobId, CampaignJob, schedulerId, tickJob } from './campaign-jobs';
import { zoneOpen, zoneOpensAt } from './campaign-windows';
import { progressOf, toView } from './campaigns.service';
import { CampaignAttempt } from './entities/campaign-attempt.entity';
import { Campaign, PauseReason } from './entities/campaign.entity';
import { CampaignContact, SkipReason } from './entities/campaign-contact.entity';

/** At most this many attempts released by one tick (pacing usually allows fewer). */
const RELEASE_CAP = 200;
/** An attempt still queued after this long lost its job (Redis, a crash): it is enqueued again. */
const REQUEUE_AFTER_MS = 15_000;
/**
 * While only its counts change, a campaign's `campaign:updated` goes out at most this often (from
 * each worker): each push counts the whole campaign's contacts, so pushing on every tick would
 * cost the database work in proportion to the campaign's size four times a second. A change of
 * status goes out at once.
 */
const PROGRESS_PUSH_MS = 1000;

class WalletShort extends Error {}
class Suspended extends Error {}

/** The rows of a query: TypeORM answers an UPDATE … RETURNING with [rows, count]. */
function rowsOf<T>(result: unknown): T[] {
  const array = result as unknown[];
  return (Array.isArray(array[0]) ? array[0] : array) as T[];
}

type AttemptPlan =
  | { kind: 'dial'; call: Call; placement: ServerPlacement }
  | { kind: 'skipped'; reason: SkipReason; phone: string; organizationId: string; provider: string }
  | { kind: 'none' };

/**
 * The campaign engine (docs/campaigns.md), run by the worker's campaigns queue:
 * - `tick` (one job scheduler per running or paused campaign): settles attempts whose calls have
 *   ended (outcome, retry), resumes a campaign the wallet paused once it can hold a call, and
 *   releases new attempts within pacing and windows, under a lock of the campaign row so that
 *   several workers never release more than the limits allow;
 * - `attempt` (one job per contact-attempt, id `campaign.<id>.contact.<cid>.attempt.<n>`): places
 *   that one call through the same hold logic as POST /api/calls, exactly once.
 * Every query is bounded by the pacing or a page size: nothing grows with the campaign's size.
 */
@Injectable()
export class CampaignEngine {
  private readonly logger = new Logger(CampaignEngine.name);
  /** When a closed zone key opens next, per campaign (recomputed once that time passes). */
  private readonly openings = new Map<string, number>();
  /** Per campaign ticking here: the last push (time, status) and whether a change waits for the next. */
  private readonly pushes = new Map<string, { at: number; status: string; waiting: boolean }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Campaigns) private readonly queue: Queue<CampaignJob>,
    private readonly placement: CallPlacementService,
    private readonly providers: ProviderRegistry,
    private readonly calls: CallsService,
    private readonly dnc: DncService,
    private readonly rates: RatesService,
    private readonly wallets: WalletService,
    private readonly realtime: RealtimePublisher,
    private readonly config: AppConfig,
  ) {}

  private get enforceHours(): boolean {
    return this.config.CALLING_HOURS !== 'off';
  }

  async ensureScheduler(campaignId: string): Promise<void> {
    await this.queue.upsertJobScheduler(
      schedulerId(campaignId),
      { every: this.config.CAMPAIGN_TICK_MS },
      tickJob(campaignId),
    );
  }

  /** Schedulers for every running or paused campaign (a worker starting after Redis lost them). */
  async ensureSchedulers(): Promise<void> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM campaigns WHERE status IN ('running', 'paused')
        UNION SELECT DISTINCT campaign_id FROM campaign_attempts WHERE state IN ('queued', 'placing', 'live')`,
    );
    for (const { id } of rows) await this.ensureScheduler(id);
  }

  async tick(campaignId: string): Promise<void> {
    let campaign = await this.dataSource.getRepository(Campaign).findOneBy({ id: campaignId });
    if (!campaign) {
      await this.queue.removeJobScheduler(schedulerId(campaignId));
      return;
    }
    let changed = await this.settleEnded(campaign);
    await this.requeueLost(campaign);
    if (campaign.status === 'paused' && campaign.pauseReason === 'wallet') {
      changed = (await this.resumeIfFunded(campaign)) || changed;
    }
    if (campaign.status === 'paused' && campaign.pauseReason === 'suspended') {
      changed = (await this.resumeIfReinstated(campaign)) || changed;
    }
    campaign = (await this.dataSource.getRepository(Campaign).findOneBy({ id: campaignId }))!;
    if (campaign.status === 'running') {
      changed = (await this.release(campaign)) || changed;
    }
    campaign = (await this.dataSource.getRepository(Campaign).findOneBy({ id: campaignId }))!;
    if (
      (campaign.status === 'completed' ||
        campaign.status === 'cancelled' ||
        campaign.status === 'draft') &&
      !(await this.hasLiveAttempts(campaign.id))
    ) {
      await this.queue.removeJobScheduler(schedulerId(campaignId));
      for (const key of [...this.openings.keys()])
        if (key.startsWith(campaignId)) this.openings.delete(key);
      // Its last counts go out now: no tick follows to send a waiting change.
      if (changed || this.pushes.get(campaignId)?.waiting) await this.publish(campaign);
      this.pushes.delete(campaignId);
      return;
    }
    await this.publishPaced(campaign, changed);
  }

  /** Places one contact-attempt; a re-run (crash, duplicate job) places nothing twice. */
  async attempt(campaignId: string, attemptId: string): Promise<void> {
    let plan: AttemptPlan;
    try {
      plan = await this.dataSource.transaction((manager) => this.prepare(manager, attemptId));
    } catch (error) {
      if (error instanceof WalletShort) await this.pauseFor(campaignId, attemptId, 'wallet');
      else if (error instanceof Suspended) await this.pauseFor(campaignId, attemptId, 'suspended');
      else throw error;
      return;
    }
    if (plan.kind === 'skipped') {
      if (plan.reason === 'dnc') {
        // Recorded like every refused attempt on a listed number.
        await this.dnc.refusalFor(plan.organizationId, plan.phone, {
          provider: plan.provider,
          userId: null,
        });
      }
      this.changedMeanwhile(campaignId);
      return;
    }
    if (plan.kind !== 'dial') return;
    const result = await this.placement.dialHeldCall(plan.call, plan.placement);
    await this.dataSource.query(
      `UPDATE campaign_attempts SET state = 'live' WHERE id = $1 AND state = 'placing'`,
      [attemptId],
    );
    if (result !== 'placed') {
      this.logger.warn(`campaign ${campaignId} attempt ${attemptId}: provider ${result}`);
    }
  }

  /**
   * In one transaction, the attempt row locked: the rules (campaign still running, valid number,
   * DNC, hours, a rate), then the call and its hold. A refusal for funds rolls it all back.
   */
  private async prepare(manager: EntityManager, attemptId: string): Promise<AttemptPlan> {
    const attempt = await manager.findOne(CampaignAttempt, {
      where: { id: attemptId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!attempt) return { kind: 'none' };
    if (attempt.state === 'placing') return this.interrupted(manager, attempt);
    if (attempt.state !== 'queued') return { kind: 'none' };
    const campaign = await manager.findOneByOrFail(Campaign, { id: attempt.campaignId });
    const contact = await manager.findOne(CampaignContact, {
      where: { id: attempt.campaignContactId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!contact) return { kind: 'none' };
    if (campaign.status !== 'running') {
      // Paused or cancelled after this attempt was released: it is not placed.
      await this.unrelease(manager, attempt, contact, new Date());
      if (campaign.status === 'cancelled') await this.skip(manager, contact, 'cancelled');
      return { kind: 'none' };
    }
    const phone = normalizePhone(contact.phone);
    const skipped = (reason: SkipReason): AttemptPlan => ({
      kind: 'skipped',
      reason,
      phone: contact.phone,
      organizationId: campaign.organizationId,
      provider: campaign.provider,
    });
    if (!phone) {
      await this.unrelease(manager, attempt, contact, new Date());
      await this.skip(manager, contact, 'invalid_number');
      return skipped('invalid_number');
    }
    if (await this.dnc.isBlocked(manager, campaign.organizationId, phone.e164)) {
      await this.unrelease(manager, attempt, contact, new Date());
      await this.skip(manager, contact, 'dnc');
      return skipped('dnc');
    }
    const now = new Date();
    if (!zoneOpen(contact.zoneKey, campaign.schedule, now, this.enforceHours)) {
      // Its window closed between release and placement: it waits for the next opening.
      const opens = zoneOpensAt(contact.zoneKey, campaign.schedule, now, this.enforceHours);
      await this.unrelease(manager, attempt, contact, opens ?? now);
      if (!opens) {
        await this.skip(manager, contact, 'outside_hours');
        return skipped('outside_hours');
      }
      return { kind: 'none' };
    }
    if (!(await this.rates.findRate(campaign.organizationId, phone.e164, manager))) {
      await this.unrelease(manager, attempt, contact, now);
      await this.skip(manager, contact, 'no_rate');
      return skipped('no_rate');
    }
    const placement = this.placementOf(campaign, contact, attempt, phone.e164, phone.country);
    let call: Call;
    try {
      call = await this.placement.createHeldCall(manager, placement);
    } catch (error) {
      if (error instanceof PaymentRequiredException) throw new WalletShort(error.message);
      // Suspended between release and placement: taken back, the campaign pauses (no refusal).
      if (error instanceof OrganizationSuspendedException) throw new Suspended(error.message);
      throw error;
    }
    await manager.update(
      CampaignAttempt,
      { id: attempt.id },
      { state: 'placing', callId: call.id },
    );
    await manager.update(CampaignContact, { id: contact.id }, { lastCallId: call.id });
    return { kind: 'dial', call, placement };
  }

  /**
   * A worker died between the call's creation (with its hold) and the provider's answer. A provider
   * whose placement is idempotent (the simulator) is simply asked again: it names the same call.
   * Any other may have dialed, so it is never asked twice: the attempt waits for the call's
   * webhooks, or for reconciliation, which fails a call its provider never named (then a retry
   * follows if configured). Either way the attempt is neither lost nor placed twice.
   */
  private async interrupted(
    manager: EntityManager,
    attempt: CampaignAttempt,
  ): Promise<AttemptPlan> {
    const campaign = await manager.findOneByOrFail(Campaign, { id: attempt.campaignId });
    const call = attempt.callId ? await manager.findOneBy(Call, { id: attempt.callId }) : null;
    const contact = await manager.findOneByOrFail(CampaignContact, {
      id: attempt.campaignContactId,
    });
    if (
      !call ||
      call.providerCallId ||
      call.status !== 'initiated' ||
      !this.providers.get(campaign.provider).idempotentPlacement
    ) {
      await manager.update(CampaignAttempt, { id: attempt.id }, { state: 'live' });
      return { kind: 'none' };
    }
    this.logger.warn(
      `campaign ${campaign.id}: placing call ${call.id} again after an interruption`,
    );
    return {
      kind: 'dial',
      call,
      placement: this.placementOf(campaign, contact, attempt, call.toNumber, call.country),
    };
  }

  private placementOf(
    campaign: Campaign,
    contact: CampaignContact,
    attempt: CampaignAttempt,
    to: string,
    country: string | null,
  ): ServerPlacement {
    return {
      organizationId: campaign.organizationId,
      agentId: campaign.createdBy,
      provider: campaign.provider,
      to,
      country,
      from: campaign.callerId,
      contactId: contact.contactId,
      metadata: { campaignId: campaign.id, campaignAttempt: attempt.attempt },
      bolnaAgentId: campaign.bolnaAgentId,
      variables: contact.variables,
    };
  }

  /**
   * The wallet could not hold this call, or the organization was suspended: the attempt is taken
   * back (its number is reused later) and the campaign pauses with that reason until a tick finds
   * the wallet can hold one again, or the organization reinstated.
   */
  private async pauseFor(
    campaignId: string,
    attemptId: string,
    reason: Exclude<PauseReason, 'manual'>,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const attempt = await manager.findOne(CampaignAttempt, {
        where: { id: attemptId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!attempt || attempt.state !== 'queued') return;
      const contact = await manager.findOneOrFail(CampaignContact, {
        where: { id: attempt.campaignContactId },
        lock: { mode: 'pessimistic_write' },
      });
      await this.unrelease(manager, attempt, contact, new Date());
      await manager.update(
        Campaign,
        { id: campaignId, status: 'running' },
        { status: 'paused', pauseReason: reason },
      );
    });
    this.logger.log(
      `campaign ${campaignId} paused: ${reason === 'wallet' ? 'the wallet cannot hold one more call' : 'the organization is suspended'}`,
    );
    await this.publishById(campaignId);
  }

  /** Takes a released attempt back: its row goes, the contact waits again from `at`. */
  private async unrelease(
    manager: EntityManager,
    attempt: CampaignAttempt,
    contact: CampaignContact,
    at: Date,
  ): Promise<void> {
    await manager.delete(CampaignAttempt, { id: attempt.id });
    await manager.update(
      CampaignContact,
      { id: contact.id },
      { state: 'pending', attempts: Math.max(0, contact.attempts - 1), nextAttemptAt: at },
    );
    contact.attempts = Math.max(0, contact.attempts - 1);
  }

  private async skip(manager: EntityManager, contact: CampaignContact, reason: SkipReason) {
    await manager.update(
      CampaignContact,
      { id: contact.id },
      { state: 'skipped', skipReason: reason },
    );
  }

  /**
   * Attempts whose calls have ended (the webhook pipeline made them terminal): the attempt records
   * the status and charge, the contact its outcome, and a retry is due after the delay when the
   * status is one the campaign retries and attempts remain. Bounded by the live attempts.
   */
  private async settleEnded(campaign: Campaign): Promise<boolean> {
    const live: { id: string; call_id: string }[] = await this.dataSource.query(
      `SELECT id, call_id FROM campaign_attempts
        WHERE campaign_id = $1 AND state IN ('placing', 'live') AND call_id IS NOT NULL`,
      [campaign.id],
    );
    if (live.length === 0) return false;
    const ended = await this.calls.endedAmong(
      this.dataSource.manager,
      live.map((row) => row.call_id),
    );
    const settled = live.filter((row) => ended.has(row.call_id));
    if (settled.length === 0) return false;
    // One statement for every attempt that ended since the last tick (at most maxConcurrent): the
    // attempt records status and charge; its contact takes the outcome and is due again after the
    // delay when the campaign retries that outcome and attempts remain (not once it is cancelled
    // or completed), else is done (`retries_exhausted` when the outcome was retryable and every
    // attempt was used). `state <> 'ended'` makes a second tick settling the same attempt at the
    // same moment (it waits for the first's row lock, then re-reads it) change nothing; the
    // attempts are locked first in one order, so that two such ticks wait instead of deadlocking.
    const ids = settled.map((row) => row.id);
    const contacts = await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `SELECT 1 FROM campaign_attempts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
        [ids],
      );
      return rowsOf<{ id: string }>(
        await manager.query(
          `WITH ended AS (
             UPDATE campaign_attempts a
                SET state = 'ended', status = e.status, cost_micros = e.cost_micros, ended_at = now()
               FROM unnest($2::uuid[], $3::text[], $4::bigint[]) AS e(id, status, cost_micros)
              WHERE a.id = e.id AND a.campaign_id = $1 AND a.state <> 'ended'
             RETURNING a.campaign_contact_id, e.status
           ), outcome AS (
             SELECT ended.campaign_contact_id AS id, ended.status,
                    ended.status = ANY(c.retry_on) AS retryable,
                    ended.status = ANY(c.retry_on) AND cc.attempts < c.max_attempts
                      AND c.status NOT IN ('cancelled', 'completed') AS retry,
                    c.max_attempts, c.retry_delay_seconds
               FROM ended
               JOIN campaign_contacts cc ON cc.id = ended.campaign_contact_id
               JOIN campaigns c ON c.id = $1
           )
           UPDATE campaign_contacts cc
              SET outcome = o.status,
                  state = CASE WHEN o.retry THEN 'pending' ELSE 'done' END,
                  next_attempt_at = CASE WHEN o.retry
                                         THEN now() + make_interval(secs => o.retry_delay_seconds)
                                         ELSE cc.next_attempt_at END,
                  skip_reason = CASE WHEN o.retry THEN cc.skip_reason
                                     WHEN o.status <> 'completed' AND o.retryable AND o.max_attempts > 1
                                     THEN 'retries_exhausted' END,
                  updated_at = now()
             FROM outcome o
            WHERE cc.id = o.id
           RETURNING cc.id`,
          [
            campaign.id,
            ids,
            settled.map((row) => ended.get(row.call_id)!.status),
            settled.map((row) => ended.get(row.call_id)!.costMicros?.toString() ?? null),
          ],
        ),
      );
    });
    return contacts.length > 0;
  }

  /** Attempts left queued with no job (Redis lost it, a tick died after its commit): enqueued again. */
  private async requeueLost(campaign: Campaign): Promise<void> {
    const lost: { id: string; campaign_contact_id: string; attempt: number }[] =
      await this.dataSource.query(
        `SELECT id, campaign_contact_id, attempt FROM campaign_attempts
          WHERE campaign_id = $1 AND state = 'queued' AND created_at < now() - make_interval(secs => $2)
          LIMIT 500`,
        [campaign.id, REQUEUE_AFTER_MS / 1000],
      );
    if (lost.length === 0) return;
    // A job that failed for good (its retries spent on, say, a database outage) keeps its id in
    // the failed set, where a new add with that id would be ignored: it goes, and is added anew.
    for (const attempt of lost) {
      const job = await this.queue.getJob(
        attemptJobId(campaign.id, attempt.campaign_contact_id, attempt.attempt),
      );
      if (job && (await job.isFailed())) await job.remove();
    }
    await this.enqueue(campaign.id, lost);
  }

  /** A campaign the wallet paused runs again once the wallet can hold its next call. */
  private async resumeIfFunded(campaign: Campaign): Promise<boolean> {
    const [next]: { phone: string }[] = await this.dataSource.query(
      `SELECT phone FROM campaign_contacts WHERE campaign_id = $1 AND state = 'pending'
        ORDER BY next_attempt_at, seq LIMIT 1`,
      [campaign.id],
    );
    if (!next) return false;
    const rate = await this.rates.findRate(campaign.organizationId, next.phone);
    if (!rate) return false;
    const { availableMicros } = await this.wallets.balance(
      this.dataSource.manager,
      campaign.organizationId,
    );
    if (BigInt(availableMicros) < callCost(1, toRateTerms(rate))) return false;
    const result = await this.dataSource
      .getRepository(Campaign)
      .update(
        { id: campaign.id, status: 'paused', pauseReason: 'wallet' },
        { status: 'running', pauseReason: null },
      );
    if (result.affected) {
      this.logger.log(`campaign ${campaign.id} resumed: the wallet can hold a call again`);
    }
    return !!result.affected;
  }

  /** A campaign paused by the organization's suspension runs again once the operator reinstates it. */
  private async resumeIfReinstated(campaign: Campaign): Promise<boolean> {
    if (await this.isSuspended(this.dataSource.manager, campaign.organizationId)) return false;
    const result = await this.dataSource
      .getRepository(Campaign)
      .update(
        { id: campaign.id, status: 'paused', pauseReason: 'suspended' },
        { status: 'running', pauseReason: null },
      );
    if (result.affected) {
      this.logger.log(`campaign ${campaign.id} resumed: the organization was reinstated`);
    }
    return !!result.affected;
  }

  private async isSuspended(manager: EntityManager, organizationId: string): Promise<boolean> {
    try {
      await assertNotSuspended(manager, organizationId);
      return false;
    } catch (error) {
      if (error instanceof OrganizationSuspendedException) return true;
      throw error;
    }
  }

  /**
   * Releases attempts: under the campaign row's lock (ticks of several workers take turns), as many
   * as `maxConcurrent` minus the attempts live, and `perMinute` minus those released in the last
   * 60 s, from contacts that are due and whose zone is open now. Completes the campaign when
   * nothing is pending or in flight.
   */
  private async release(campaign: Campaign): Promise<boolean> {
    const released = await this.dataSource.transaction(async (manager) => {
      const locked = await manager.findOne(Campaign, {
        where: { id: campaign.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!locked || locked.status !== 'running') return null;
      // A suspended organization places no calls: the campaign pauses (reason 'suspended') before
      // any contact is picked, rather than releasing attempts the placement would refuse.
      if (await this.isSuspended(manager, locked.organizationId)) {
        await manager.update(
          Campaign,
          { id: locked.id },
          { status: 'paused', pauseReason: 'suspended' },
        );
        this.logger.log(`campaign ${locked.id} paused: the organization is suspended`);
        return 'suspended' as const;
      }
      const now = new Date();
      // Two index-bounded counts: live attempts (campaign_id, state) and recent releases
      // (campaign_id, created_at); neither reads the campaign's history.
      const [{ live }]: { live: number }[] = await manager.query(
        `SELECT count(*)::int AS live FROM campaign_attempts
          WHERE campaign_id = $1 AND state IN ('queued', 'placing', 'live')`,
        [locked.id],
      );
      let budget = Math.min(locked.maxConcurrent - live, RELEASE_CAP);
      if (locked.perMinute && budget > 0) {
        // At most perMinute in any 60 s, and spread evenly: at most perMinute / 12 in any 5 s.
        const [{ minute, recent }]: { minute: number; recent: number }[] = await manager.query(
          `SELECT count(*)::int AS minute,
                  count(*) FILTER (WHERE created_at > $2::timestamptz - interval '5 seconds')::int AS recent
             FROM campaign_attempts
            WHERE campaign_id = $1 AND created_at > $2::timestamptz - interval '60 seconds'`,
          [locked.id, now.toISOString()],
        );
        budget = Math.min(
          budget,
          locked.perMinute - minute,
          Math.ceil(locked.perMinute / 12) - recent,
        );
      }
      const openKeys = await this.openZoneKeys(manager, locked, now);
      if (budget > 0 && openKeys.length > 0) {
        const rows = rowsOf<{ id: string; attempt: number }>(
          await manager.query(
            `UPDATE campaign_contacts cc SET state = 'in_flight', attempts = cc.attempts + 1, updated_at = now()
             FROM (SELECT id FROM campaign_contacts
                    WHERE campaign_id = $1 AND state = 'pending' AND next_attempt_at <= $2
                      AND zone_key = ANY($3::text[])
                    ORDER BY next_attempt_at, seq
                    LIMIT $4
                    FOR UPDATE SKIP LOCKED) due
            WHERE cc.id = due.id
            RETURNING cc.id, cc.attempts AS attempt`,
            [locked.id, now, openKeys, budget],
          ),
        );
        if (rows.length > 0) {
          const inserted: { id: string; campaign_contact_id: string; attempt: number }[] =
            await manager.query(
              `INSERT INTO campaign_attempts (campaign_id, campaign_contact_id, attempt)
               SELECT $1, x.id, x.attempt FROM unnest($2::uuid[], $3::int[]) AS x(id, attempt)
               RETURNING id, campaign_contact_id, attempt`,
              [locked.id, rows.map((row) => row.id), rows.map((row) => row.attempt)],
            );
          return inserted;
        }
      }
      if (live === 0) {
        const [{ open }]: { open: boolean }[] = await manager.query(
          `SELECT EXISTS (SELECT 1 FROM campaign_contacts
                           WHERE campaign_id = $1 AND state IN ('pending', 'in_flight')) AS open`,
          [locked.id],
        );
        if (!open) {
          await manager.update(
            Campaign,
            { id: locked.id },
            { status: 'completed', endedAt: new Date() },
          );
          return 'completed' as const;
        }
      }
      return null;
    });
    if (released === 'completed' || released === 'suspended') return true;
    if (!released || released.length === 0) return false;
    await this.enqueue(campaign.id, released);
    return true;
  }

  /**
   * The zone keys open now. A closed key remembers when it opens next; a key that never opens
   * within eight days (windows that never meet the calling hours) skips its contacts
   * ('outside_hours') and leaves the campaign's keys.
   */
  private async openZoneKeys(
    manager: EntityManager,
    campaign: Campaign,
    now: Date,
  ): Promise<string[]> {
    const open: string[] = [];
    const never: string[] = [];
    for (const key of campaign.zoneKeys) {
      const memo = `${campaign.id}|${key}`;
      const opensAt = this.openings.get(memo);
      if (opensAt !== undefined && opensAt > now.getTime()) continue;
      if (zoneOpen(key, campaign.schedule, now, this.enforceHours)) {
        open.push(key);
        this.openings.delete(memo);
        continue;
      }
      const next = zoneOpensAt(key, campaign.schedule, now, this.enforceHours);
      if (next) this.openings.set(memo, next.getTime());
      else never.push(key);
    }
    if (never.length > 0) {
      await manager.query(
        `UPDATE campaign_contacts SET state = 'skipped', skip_reason = 'outside_hours', updated_at = now()
          WHERE campaign_id = $1 AND state = 'pending' AND zone_key = ANY($2::text[])`,
        [campaign.id, never],
      );
      await manager.update(
        Campaign,
        { id: campaign.id },
        { zoneKeys: campaign.zoneKeys.filter((key) => !never.includes(key)) },
      );
    }
    return open;
  }

  private async enqueue(
    campaignId: string,
    attempts: { id: string; campaign_contact_id: string; attempt: number }[],
  ): Promise<void> {
    await this.queue.addBulk(
      attempts.map((attempt) => ({
        name: 'attempt',
        data: { kind: 'attempt' as const, campaignId, attemptId: attempt.id },
        opts: {
          jobId: attemptJobId(campaignId, attempt.campaign_contact_id, attempt.attempt),
          // The id is free again once done: a re-add is guarded by the attempt row's state.
          removeOnComplete: true,
        },
      })),
    );
  }

  private async hasLiveAttempts(campaignId: string): Promise<boolean> {
    const [{ live }]: { live: boolean }[] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM campaign_attempts
                       WHERE campaign_id = $1 AND state IN ('queued', 'placing', 'live')) AS live`,
      [campaignId],
    );
    return live;
  }

  private async publishById(campaignId: string): Promise<void> {
    const campaign = await this.dataSource.getRepository(Campaign).findOneBy({ id: campaignId });
    if (campaign) await this.publish(campaign);
  }

  /**
   * A tick's push: at once when the status moved since this worker's last push; otherwise a
   * change (the tick's, or one noted meanwhile) goes out when PROGRESS_PUSH_MS have passed since
   * the last, else waits for a later tick.
   */
  private async publishPaced(campaign: Campaign, changed: boolean): Promise<void> {
    const last = this.pushes.get(campaign.id);
    const statusMoved = last !== undefined && last.status !== campaign.status;
    if (!changed && !statusMoved && !last?.waiting) return;
    if (last && !statusMoved && Date.now() - last.at < PROGRESS_PUSH_MS) {
      last.waiting = true;
      return;
    }
    await this.publish(campaign);
  }

  /** A change outside a tick (an attempt skipped): the next tick of this worker pushes it. */
  private changedMeanwhile(campaignId: string): void {
    const last = this.pushes.get(campaignId);
    if (last) last.waiting = true;
    else this.pushes.set(campaignId, { at: 0, status: '', waiting: true });
  }

  /** `campaign:updated` to the organization's admins, after the commit. */
  private async publish(campaign: Campaign): Promise<void> {
    this.pushes.set(campaign.id, { at: Date.now(), status: campaign.status, waiting: false });
    const view = toView(campaign, await progressOf(this.dataSource.manager, campaign.id));
    this.realtime.publishToAdmins(campaign.organizationId, 'campaign:updated', view);
  }
}
