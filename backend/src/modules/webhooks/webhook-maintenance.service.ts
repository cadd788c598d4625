import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { QueueName } from '../../queue/queue-name';
import { ACTIVE_STATUSES } from '../calls/call-status';
import { Call } from '../calls/entities/call.entity';
import { NormalizedEvent, ProviderName } from '../providers/provider-adapter';
import { ProviderRegistry } from '../providers/provider-registry';
import { PROCESS_WEBHOOK_EVENT, ProcessWebhookEventJob } from './webhook-job';
import { serializeNormalizedEvent } from './stored-normalized-event';
import { CallOutcomesService } from '../calls/call-outcomes.service';
import { RecordingJobs } from '../recordings/recording-jobs';

const SWEEP_BATCH = 1000;
const RECONCILE_BATCH = 100;
/** The raw status of the failure of a call its provider never confirmed (see failCallsNeverPlaced). */
export const NEVER_CONFIRMED = 'never-confirmed';

/** Periodic repairs: re-enqueue events Redis lost, and ask providers about calls that went quiet. */
@Injectable()
export class WebhookMaintenanceService {
  private readonly logger = new Logger(WebhookMaintenanceService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.WebhookEvents) private readonly queue: Queue<ProcessWebhookEventJob>,
    private readonly providers: ProviderRegistry,
    private readonly config: AppConfig,
    private readonly outcomes: CallOutcomesService,
    private readonly recordingJobs: RecordingJobs,
  ) {}

  /** Re-enqueues events left unprocessed for longer than `olderThanSeconds` whose job is gone. */
  async sweep(olderThanSeconds = 60): Promise<number> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM webhook_events
        WHERE state IN ('received', 'retrying') AND received_at < now() - make_interval(secs => $1)
        ORDER BY received_at LIMIT $2`,
      [olderThanSeconds, SWEEP_BATCH],
    );
    let enqueued = 0;
    for (const { id } of rows) {
      const job = await this.queue.getJob(id);
      if (job && !(await job.isFailed())) continue;
      if (job) await job.remove();
      await this.queue.add(PROCESS_WEBHOOK_EVENT, { eventId: id }, { jobId: id });
      enqueued += 1;
    }
    if (enqueued)
      this.logger.warn(`sweeper re-enqueued ${enqueued} webhook event(s) whose job was lost`);
    // Recordings whose copy job was lost (Redis away at the commit): their job is added again
    // (a job still waiting for its retry keeps its id, so this adds nothing then).
    await this.recordingJobs.enqueue(
      await this.outcomes.pendingRecordings(this.dataSource.manager, 10 * 60),
    );
    return enqueued;
  }

  /**
   * Asks each provider about calls left non-terminal for RECONCILE_AFTER_SECONDS; what it answers
   * becomes a stored event processed like any webhook (same state machine, same idempotency).
   */
  async reconcile(olderThanSeconds = this.config.RECONCILE_AFTER_SECONDS): Promise<number> {
    await this.failCallsNeverPlaced(olderThanSeconds);
    // Calls still live, and ended calls still holding money because their duration never came.
    const calls = await this.dataSource
      .getRepository(Call)
      .createQueryBuilder('call')
      .where(
        '(call.status IN (:...active) OR (call.cost_micros IS NULL AND call.hold_micros > 0))',
        { active: ACTIVE_STATUSES },
      )
      .andWhere('call.status_updated_at < now() - make_interval(secs => :seconds)', {
        seconds: olderThanSeconds,
      })
      .andWhere('call.provider_call_id IS NOT NULL')
      .orderBy('call.status_updated_at', 'ASC')
      .take(RECONCILE_BATCH)
      .getMany();
    let reported = 0;
    for (const call of calls) {
      const adapter = this.providers.get(call.provider);
      if (!adapter.isEnabled()) continue;
      try {
        const state = await adapter.fetchCallState(call.providerCallId!);
        const news =
          state?.status &&
          (state.status !== call.status || state.facts.durationSeconds !== undefined);
        if (!state || !news) continue;
        const about = `${call.provider}/${call.providerCallId}`;
        if (await this.record(call.provider, about, { ...state, callId: call.id })) reported += 1;
      } catch (error) {
        this.logger.warn(
          `reconciliation of call ${call.id} (${call.provider}) failed: ${(error as Error).message}`,
        );
      }
    }
    return reported + (await this.reconcileOutcomes());
  }

  /**
   * Ended calls whose provider's final word (Bolna's `completed`, Twilio's recording…) is overdue:
   * the provider is asked once their deadline passed; what it answers (artifacts, final figures)
   * goes through the pipeline like a webhook. The call is final at its deadline regardless.
   */
  private async reconcileOutcomes(): Promise<number> {
    let reported = 0;
    for (const call of await this.outcomes.overdue(this.dataSource.manager, RECONCILE_BATCH)) {
      const adapter = this.providers.get(call.provider);
      if (!adapter.isEnabled()) continue;
      try {
        const state = adapter.fetchCallOutcome
          ? await adapter.fetchCallOutcome(call)
          : await adapter.fetchCallState(call.providerCallId);
        if (!state || (!state.artifacts && !state.final)) continue;
        const about = `${call.provider}/${call.providerCallId}/outcome`;
        if (await this.record(call.provider, about, { ...state, callId: call.callId }))
          reported += 1;
      } catch (error) {
        this.logger.warn(
          `reconciliation of call ${call.callId}'s outcome (${call.provider}) failed: ${(error as Error).message}`,
        );
      }
    }
    return reported;
  }

  /**
   * A call the provider never named (it timed out answering the placement) and that no webhook
   * reached: it did not happen. It fails like any other call, through a stored event the worker's
   * pipeline processes (timeline, call:updated, its hold released, wallet:updated); the event's
   * dedupe key makes the next runs store it only once.
   */
  private async failCallsNeverPlaced(olderThanSeconds: number): Promise<void> {
    const stale: { id: string; organization_id: string; provider: ProviderName }[] =
      await this.dataSource.query(
        `SELECT id, organization_id, provider FROM calls
          WHERE status = 'initiated' AND provider_call_id IS NULL AND parent_provider_call_id IS NULL
            AND status_updated_at < now() - make_interval(secs => $1)
          LIMIT $2`,
        [olderThanSeconds, RECONCILE_BATCH],
      );
    for (const { id, organization_id: organizationId, provider } of stale) {
      const stored = await this.record(provider, `${provider}/call/${id}`, {
        dedupeKey: `never-confirmed:${id}`,
        // No provider call: the call is found by its own id.
        providerCallId: '',
        callId: id,
        rawStatus: NEVER_CONFIRMED,
        status: 'failed',
        occurredAt: new Date(),
        facts: { hangupReason: 'The provider never confirmed the call' },
      });
      if (stored)
        this.logger.warn(
          `call ${id} of organization ${organizationId} was never confirmed by its provider: failing it`,
        );
    }
  }

  /** Stores an event Switchboard learnt itself and queues it like a webhook; false if already stored. */
  private async record(
    provider: ProviderName,
    about: string,
    event: NormalizedEvent,
  ): Promise<boolean> {
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO webhook_events (provider, source, dedupe_key, url, headers, content_type, raw_body)
       VALUES ($1, 'reconciliation', $2, $3, '{}', 'application/json', $4)
       ON CONFLICT (provider, dedupe_key) DO NOTHING RETURNING id`,
      [provider, event.dedupeKey, `reconciliation:${about}`, serializeNormalizedEvent(event)],
    );
    if (!rows[0]) return false;
    await this.queue.add(PROCESS_WEBHOOK_EVENT, { eventId: rows[0].id }, { jobId: rows[0].id });
    return true;
  }
}
