import { redactRecordingUrls } from './redact-recording-urls';
import { PageQuery } from '../../common/page-query';
import { InjectQueue } from '@nestjs/bullmq';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Queue } from 'bullmq';
import { IsIn, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '../../common/cursor';
import { QueueName } from '../../queue/queue-name';
import { AuthUser } from '../auth/auth-user';
import {
  WEBHOOK_PROVIDERS as PROVIDER_NAMES,
  WebhookProvider as ProviderName,
} from './entities/webhook-event.entity';
import {
  WEBHOOK_EVENT_STATES,
  WebhookEvent,
  WebhookEventState,
} from './entities/webhook-event.entity';
import { PROCESS_WEBHOOK_EVENT, ProcessWebhookEventJob } from './webhook-job';
import { AuditService } from '../audit/audit.service';

export class ListWebhookEventsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_STATES })
  @IsOptional()
  @IsIn(WEBHOOK_EVENT_STATES, {
    message: `state must be one of: ${WEBHOOK_EVENT_STATES.join(', ')}`,
  })
  state?: WebhookEventState;

  @ApiPropertyOptional({ enum: PROVIDER_NAMES })
  @IsOptional()
  @IsIn(PROVIDER_NAMES, { message: `provider must be one of: ${PROVIDER_NAMES.join(', ')}` })
  provider?: ProviderName;
}

export class WebhookEventView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: PROVIDER_NAMES }) provider: ProviderName;
  @ApiProperty() source: string;
  @ApiProperty() dedupeKey: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_STATES }) state: WebhookEventState;
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty() receivedAt: string;
  @ApiPropertyOptional({ type: String, nullable: true }) processedAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) callId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) contentType: string | null;
  @ApiProperty() rawBody: string;
  @ApiProperty({ type: Object }) headers: Record<string, unknown>;
}

export class WebhookEventList {
  @ApiProperty({ type: [WebhookEventView] }) items: WebhookEventView[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor: string | null;
}

const toView = (event: WebhookEvent): WebhookEventView => ({
  id: event.id,
  provider: event.provider,
  source: event.source,
  dedupeKey: event.dedupeKey,
  state: event.state,
  attempts: event.attempts,
  lastError: event.lastError,
  receivedAt: event.receivedAt.toISOString(),
  processedAt: event.processedAt?.toISOString() ?? null,
  callId: event.callId,
  contentType: event.contentType,
  rawBody: redactRecordingUrls(event.rawBody),
  headers: event.headers,
});

/**
 * Admins see the webhook events of their organization's calls (an event belongs to an organization
 * once it is matched to a call; unmatched events are operators' business, in the logs and database).
 */
@Injectable()
export class WebhookEventsAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.WebhookEvents) private readonly queue: Queue<ProcessWebhookEventJob>,
    private readonly audit: AuditService,
  ) {}

  async list(caller: AuthUser, query: ListWebhookEventsQuery): Promise<WebhookEventList> {
    const limit = query.limit ?? 50;
    const builder = this.dataSource
      .getRepository(WebhookEvent)
      .createQueryBuilder('event')
      .where('event.organization_id = :organizationId', { organizationId: caller.organizationId })
      .orderBy('event.received_at', 'DESC')
      .addOrderBy('event.id', 'DESC')
      .take(limit + 1);
    if (query.state) builder.andWhere('event.state = :state', { state: query.state });
    if (query.provider)
      builder.andWhere('event.provider = :provider', { provider: query.provider });
    if (query.cursor) {
      const [receivedAt, id] = decodeCursor(query.cursor, ['timestamp', 'uuid']);
      builder.andWhere('(event.received_at, event.id) < (:receivedAt, :id)', { receivedAt, id });
    }
    const events = await builder.getMany();
    const page = events.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toView),
      nextCursor:
        events.length > limit && last
          ? encodeCursor([last.receivedAt.toISOString(), last.id])
          : null,
    };
  }

  /** Puts a dead letter (or a stuck event) back on the queue for a fresh set of attempts. */
  async replay(caller: AuthUser, id: string): Promise<WebhookEventView> {
    const repository = this.dataSource.getRepository(WebhookEvent);
    const event = await repository.findOne({
      where: { id, organizationId: caller.organizationId },
    });
    if (!event) throw new NotFoundException(`Webhook event ${id} not found`);
    if (event.state === 'processed')
      throw new ConflictException('This event was already processed');
    if (event.state === 'rejected')
      throw new ConflictException('This event was rejected as malformed and cannot be processed');
    // Only a dead, retrying or waiting event goes back; a processing that commits meanwhile wins.
    await this.dataSource.transaction(async (manager) => {
      const reset: unknown[] = await manager.query(
        `UPDATE webhook_events SET state = 'received', last_error = NULL
          WHERE id = $1 AND organization_id = $2 AND state IN ('dead', 'retrying', 'received') RETURNING id`,
        [id, caller.organizationId],
      );
      const rows = Array.isArray(reset[0]) ? (reset[0] as unknown[]) : reset;
      if (rows.length === 0) throw new ConflictException('This event was processed meanwhile');
      await this.audit.record(manager, {
        actor: caller,
        organizationId: caller.organizationId,
        action: 'webhook_event.replayed',
        target: { type: 'webhook_event', id },
        before: { state: event.state, attempts: event.attempts, lastError: event.lastError },
        after: { state: 'received' },
      });
    });
    // Same job id as the ingress and the sweeper: a failed job of this event is replaced, not doubled.
    const previous = await this.queue.getJob(id);
    if (previous && ((await previous.isFailed()) || (await previous.isCompleted())))
      await previous.remove();
    await this.queue.add(PROCESS_WEBHOOK_EVENT, { eventId: id }, { jobId: id });
    return toView(await repository.findOneByOrFail({ id }));
  }
}
