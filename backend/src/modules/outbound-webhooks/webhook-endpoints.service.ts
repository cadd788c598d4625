import { InjectQueue } from '@nestjs/bullmq';
import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, In } from 'typeorm';
import { decodeCursor, encodeCursor } from '../../common/cursor';
import { AppConfig } from '../../config/app-config';
import { QueueName } from '../../queue/queue-name';
import { AuthUser } from '../auth/auth-user';
import { EndpointDirectory } from './endpoint-directory';
import { maskSecret, newEndpointSecret } from './endpoint-secrets';
import { WebhookDeliveryAttempt } from './entities/webhook-delivery-attempt.entity';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';
import { DELIVER_WEBHOOK, DeliverWebhookJob, deliveryJobOptions } from './outbound-delivery-job';
import { OUTBOUND_EVENT_TYPES } from './outbound-events';
import { ForbiddenTargetError, resolveTarget } from './ssrf-guard';
import {
  CreateWebhookEndpointDto,
  ListDeliveriesQuery,
  UpdateWebhookEndpointDto,
  WebhookDeliveryList,
  WebhookDeliveryView,
  WebhookEndpointList,
  WebhookEndpointView,
} from './webhook-endpoints.dto';

/** How long the previous secret keeps signing after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;
const MAX_ENDPOINTS_PER_ORGANIZATION = 20;

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function toEndpointView(endpoint: WebhookEndpoint): WebhookEndpointView {
  const rotating =
    endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt.getTime() > Date.now();
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    secret: endpoint.secret,
    secretMasked: maskSecret(endpoint.secret),
    previousSecretExpiresAt: rotating ? iso(endpoint.previousSecretExpiresAt) : null,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    disabledAt: iso(endpoint.disabledAt),
    failingSince: iso(endpoint.failingSince),
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

/** Admins' endpoints and their deliveries; every method is scoped to the caller's organization. */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly directory: EndpointDirectory,
    @InjectQueue(QueueName.OutboundWebhooks) private readonly queue: Queue<DeliverWebhookJob>,
  ) {}

  private get endpoints() {
    return this.dataSource.getRepository(WebhookEndpoint);
  }

  async list(caller: AuthUser): Promise<WebhookEndpointList> {
    const endpoints = await this.endpoints.find({
      where: { organizationId: caller.organizationId },
      order: { createdAt: 'ASC' },
    });
    return { items: endpoints.map(toEndpointView), eventTypes: [...OUTBOUND_EVENT_TYPES] };
  }

  async get(caller: AuthUser, id: string): Promise<WebhookEndpointView> {
    return toEndpointView(await this.find(caller, id));
  }

  private async find(caller: AuthUser, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.findOne({
      where: { id, organizationId: caller.organizationId },
    });
    if (!endpoint) throw new NotFoundException(`Webhook endpoint ${id} not found`);
    return endpoint;
  }

  /** A URL endpoints may use: http(s), no credentials, and (in production) not a private address. */
  async checkUrl(raw: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new BadRequestException('url must be an absolute http(s) URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new BadRequestException('url must be an http or https URL');
    if (url.username || url.password)
      throw new BadRequestException('url must not carry credentials; the signature authenticates');
    try {
      await resolveTarget(url, this.config.outboundWebhooksAllowPrivate);
    } catch (error) {
      if (error instanceof ForbiddenTargetError)
        throw new BadRequestException(`url is refused: ${error.message}`);
      throw error;
    }
    return url.toString();
  }

  async create(caller: AuthUser, body: CreateWebhookEndpointDto): Promise<WebhookEndpointView> {
    const url = await this.checkUrl(body.url);
    const count = await this.endpoints.count({ where: { organizationId: caller.organizationId } });
    if (count >= MAX_ENDPOINTS_PER_ORGANIZATION)
      throw new ConflictException(
        `An organization may have at most ${MAX_ENDPOINTS_PER_ORGANIZATION} webhook endpoints`,
      );
    const endpoint = await this.endpoints.save({
      organizationId: caller.organizationId,
      url,
      description: body.description ?? '',
      events: body.events,
      secret: newEndpointSecret(),
      createdBy: caller.id || null,
    });
    await this.directory.changed();
    return toEndpointView(endpoint);
  }

  async update(
    caller: AuthUser,
    id: string,
    body: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointView> {
    const endpoint = await this.find(caller, id);
    const changes: Partial<WebhookEndpoint> = {};
    if (body.url !== undefined) changes.url = await this.checkUrl(body.url);
    if (body.description !== undefined) changes.description = body.description;
    if (body.events !== undefined) changes.events = body.events;
    if (body.enabled === true && !endpoint.enabled)
      Object.assign(changes, {
        enabled: true,
        disabledReason: null,
        disabledAt: null,
        failingSince: null,
      });
    if (body.enabled === false && endpoint.enabled)
      Object.assign(changes, {
        enabled: false,
        disabledReason: 'Disabled by an admin',
        disabledAt: new Date(),
      });
    if (Object.keys(changes).length) {
      await this.endpoints.update({ id, organizationId: caller.organizationId }, changes);
      await this.directory.changed();
    }
    return this.get(caller, id);
  }

  /** Deletes the endpoint with its deliveries: their pending retries find nothing and stop. */
  async remove(caller: AuthUser, id: string): Promise<void> {
    await this.find(caller, id);
    await this.endpoints.delete({ id, organizationId: caller.organizationId });
    await this.directory.changed();
  }

  /** A new secret; the previous one keeps signing (second signature) for 24 hours. */
  async rotateSecret(caller: AuthUser, id: string): Promise<WebhookEndpointView> {
    const endpoint = await this.find(caller, id);
    await this.endpoints.update(
      { id, organizationId: caller.organizationId },
      {
        secret: newEndpointSecret(),
        previousSecret: endpoint.secret,
        previousSecretExpiresAt: new Date(Date.now() + ROTATION_OVERLAP_MS),
      },
    );
    return this.get(caller, id);
  }

  async deliveries(
    caller: AuthUser,
    endpointId: string,
    query: ListDeliveriesQuery,
  ): Promise<WebhookDeliveryList> {
    await this.find(caller, endpointId);
    const limit = query.limit ?? 50;
    const builder = this.dataSource
      .getRepository(WebhookDelivery)
      .createQueryBuilder('delivery')
      .where('delivery.endpoint_id = :endpointId', { endpointId })
      .andWhere('delivery.organization_id = :organizationId', {
        organizationId: caller.organizationId,
      })
      .orderBy('delivery.created_at', 'DESC')
      .addOrderBy('delivery.id', 'DESC')
      .take(limit + 1);
    if (query.status) builder.andWhere('delivery.status = :status', { status: query.status });
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor, ['timestamp', 'uuid']);
      builder.andWhere('(delivery.created_at, delivery.id) < (:createdAt, :id)', { createdAt, id });
    }
    const rows = await builder.getMany();
    const page = rows.slice(0, limit);
    const attempts = page.length
      ? await this.dataSource.getRepository(WebhookDeliveryAttempt).find({
          where: { deliveryId: In(page.map(({ id }) => id)) },
          order: { attemptedAt: 'DESC' },
        })
      : [];
    const last = page.at(-1);
    return {
      items: page.map((delivery) => this.toDeliveryView(delivery, attempts)),
      nextCursor:
        rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  private toDeliveryView(
    delivery: WebhookDelivery,
    attempts: WebhookDeliveryAttempt[],
  ): WebhookDeliveryView {
    return {
      id: delivery.id,
      endpointId: delivery.endpointId,
      messageId: delivery.messageId,
      eventType: delivery.eventType,
      status: delivery.status,
      attempts: delivery.attempts,
      lastStatusCode: delivery.lastStatusCode,
      lastError: delivery.lastError,
      createdAt: delivery.createdAt.toISOString(),
      lastAttemptAt: iso(delivery.lastAttemptAt),
      completedAt: iso(delivery.completedAt),
      body: delivery.body,
      attemptLog: attempts
        .filter((attempt) => attempt.deliveryId === delivery.id)
        .slice(0, 20)
        .map((attempt) => ({
          attemptedAt: attempt.attemptedAt.toISOString(),
          statusCode: attempt.statusCode,
          latencyMs: attempt.latencyMs,
          responseExcerpt: attempt.responseExcerpt,
          error: attempt.error,
          succeeded: attempt.succeeded,
        })),
    };
  }

  /** Sends a delivery again (same `webhook-id`, so the receiver can tell), with a fresh set of attempts. */
  async resend(
    caller: AuthUser,
    endpointId: string,
    deliveryId: string,
  ): Promise<WebhookDeliveryView> {
    const endpoint = await this.find(caller, endpointId);
    if (!endpoint.enabled)
      throw new ConflictException('This endpoint is disabled: enable it before resending');
    const repository = this.dataSource.getRepository(WebhookDelivery);
    const delivery = await repository.findOne({
      where: { id: deliveryId, endpointId, organizationId: caller.organizationId },
    });
    if (!delivery) throw new NotFoundException(`Delivery ${deliveryId} not found`);
    await repository.update(
      { id: deliveryId },
      { status: 'pending', completedAt: null, lastError: null },
    );
    const jobId = `${deliveryId}-resend-${Date.now()}`;
    await this.queue.add(DELIVER_WEBHOOK, { deliveryId }, deliveryJobOptions(this.config, jobId));
    const attempts = await this.dataSource
      .getRepository(WebhookDeliveryAttempt)
      .find({ where: { deliveryId }, order: { attemptedAt: 'DESC' }, take: 20 });
    return this.toDeliveryView(await repository.findOneByOrFail({ id: deliveryId }), attempts);
  }
}
