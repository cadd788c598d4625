import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { QueueName } from '../../queue/queue-name';
import { ACTIVE_STATUSES } from '../calls/call-status';
import { Call } from '../calls/entities/call.entity';
import { CallBillingService } from '../billing/call-billing.service';
import { hydrate, updateById } from '../../database/raw-rows';
import { ProviderRegistry } from '../providers/provider-registry';
import { PROCESS_WEBHOOK_EVENT, ProcessWebhookEventJob } from './webhook-job';
import { serializeNormalizedEvent } from './webhook-processing.service';

const SWEEP_BATCH = 1000;
const RECONCILE_BATCH = 100;

/** Periodic repairs: re-enqueue events Redis lost, and ask providers about calls that went quiet. */
@Injectable()
export class WebhookMaintenanceService {
  private readonly logger = new Logger(WebhookMaintenanceService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.WebhookEvents) private readonly queue: Queue<ProcessWebhookEventJob>,
    private readonly providers: ProviderRegistry,
    private readonly config: AppConfig,
    private readonly billing: CallBillingService,
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
        const rows: { id: string }[] = await this.dataSource.query(
          `INSERT INTO webhook_events (provider, source, dedupe_key, url, headers, content_type, raw_body)
           VALUES ($1, 'reconciliation', $2, $3, '{}', 'application/json', $4)
           ON CONFLICT (provider, dedupe_key) DO NOTHING RETURNING id`,
          [
            call.provider,
            state.dedupeKey,
            `reconciliation:${call.provider}/${call.providerCallId}`,
            serializeNormalizedEvent({ ...state, callId: call.id }),
          ],
        );
        if (rows[0]) {
          await this.queue.add(
            PROCESS_WEBHOOK_EVENT,
            { eventId: rows[0].id },
            { jobId: rows[0].id },
          );
          reported += 1;
        }
      } catch (error) {
        this.logger.warn(
          `reconciliation of call ${call.id} (${call.provider}) failed: ${(error as Error).message}`,
        );
      }
    }
    return reported;
  }

  /**
   * A call the provider never named (it timed out answering the placement) and that no webhook
   * reached: it did not happen. It fails and its hold goes back to the wallet.
   */
  private async failCallsNeverPlaced(olderThanSeconds: number): Promise<void> {
    const stale: { id: string; organization_id: string }[] = await this.dataSource.query(
      `SELECT id, organization_id FROM calls
        WHERE status = 'initiated' AND provider_call_id IS NULL AND parent_provider_call_id IS NULL
          AND status_updated_at < now() - make_interval(secs => $1)
        LIMIT $2`,
      [olderThanSeconds, RECONCILE_BATCH],
    );
    for (const { id, organization_id: organizationId } of stale) {
      await this.dataSource.transaction(async (manager) => {
        const locked: Record<string, unknown>[] = await manager.query(
          `SELECT * FROM calls WHERE id = $1 AND status = 'initiated' AND provider_call_id IS NULL FOR UPDATE`,
          [id],
        );
        if (!locked[0]) return;
        const call = hydrate(manager, Call, locked[0]);
        const now = new Date();
        const changes = {
          status: 'failed' as const,
          hangupReason: 'The provider never confirmed the call',
          endedAt: now,
          statusUpdatedAt: now,
        };
        await updateById(manager, Call, id, changes);
        Object.assign(call, changes);
        await this.billing.settleIfEnded(manager, call);
      });
      this.logger.warn(
        `call ${id} of organization ${organizationId} was never confirmed by its provider: failed, hold released`,
      );
    }
  }
}
