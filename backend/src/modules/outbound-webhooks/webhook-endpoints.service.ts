import { InjectQueue } from '@nestjs/bullmq';
import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager, In } from 'typeorm';
import { decodeCursor, encodeCursor } from '../../common/cursor';
import { AppConfig } from '../../config/app-config';
import { QueueName } from '../../queue/queue-name';
import { AuditService } from '../audit/audit.service';
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

/** What the audit log keeps of an endpoint: the secret masked, never whole. */
function endpointState(endpoint: WebhookEndpoint) {
  return {
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason ?? null,
    secret: maskSecret(endpoint.secret),
  };
}

/** What the audit log keeps of a delivery (its body stays in the deliveries log). */
function deliveryState(delivery: WebhookDelivery) {
  return {
    endpointId: delivery.endpointId,
    messageId: delivery.messageId,
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
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
    private readonly audit: AuditService,
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

  private find(caller: AuthUser, id: string): Promise<WebhookEndpoint> {
    return this.findIn(this.dataSource.manager, caller, id, false);
  }

  /** The caller's endpoint, locked when it is about to change (its audit `before` stays true). */
  private async findIn(
    manager: EntityManager,
    caller: AuthUser,
    id: string,
    lock = true,
  ): Promise<WebhookEndpoint> {
    const endpoint = await manager.findOne(WebhookEndpoint, {
      where: { id, organizationId: caller.organizationId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
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
    const endpoint = await this.dataSource.transaction(async (manager) => {
      const count = await manager.count(WebhookEndpoint, {
        where: { organizationId: caller.organizationId },
      });
      if (count >= MAX_ENDPOINTS_PER_ORGANIZATION)
        throw new ConflictException(
          `An organization may have at most ${MAX_ENDPOINTS_PER_ORGANIZATION} webhook endpoints`,
        );
      const saved = await manager.save(
        manager.create(WebhookEndpoint, {
          organizationId: caller.organizationId,
          url,
          description: body.description ?? '',
          events: body.events,
          secret: newEndpointSecret(),
          createdBy: caller.id || null,
        }),
      );
      await this.audit.record(manager, {
        actor: caller,
        organizationId: caller.organizationId,
        action: 'webhook_endpoint.created',
        target: { type: 'webhook_endpoint', id: saved.id },
        after: endpointState(saved),
      });
      return saved;
    });
    await this.directory.changed();
    return toEndpointView(endpoint);
  }

  async update(
    caller: AuthUser,
    id: string,
    body: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointView> {
    await this.find(caller, id);
    // The URL is resolved (DNS) before the transaction, not while the endpoint is locked.
    const url = body.url !== undefined ? await this.checkUrl(body.url) : undefined;
    const changed = await this.dataSource.transaction(async (manager) => {
      const endpoint = await this.findIn(manager, caller, id);
      const changes: Partial<WebhookEndpoint> = {};
      if (url !== undefined) changes.url = url;
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
      if (!Object.keys(changes).length) return false;
      await manager.update(WebhookEndpoint, { id, organizationId: caller.organizationId }, changes);
      const before = endpointState(endpoint);
      const after = endpointState({ ...endpoint, ...changes });
      // One row per request: (re-)enabling or disabling wins over an edit; an edit that sets
      // what was already there writes nothing.
      const action =
        before.enabled !== after.enabled
          ? after.enabled
            ? 'webhook_endpoint.enabled'
            : 'webhook_endpoint.disabled'
          : JSON.stringify(before) !== JSON.stringify(after)
            ? 'webhook_endpoint.updated'
            : null;
      if (action)
        await this.audit.record(manager, {
          actor: caller,
          organizationId: caller.organizationId,
          action,
          target: { type: 'webhook_endpoint', id },
          before,
          after,
        });
      return true;
    });
    if (changed) await this.directory.changed();
    return this.get(caller, id);
  }

  /** Deletes the endpoint with its deliveries: their pending retries find nothing and stop. */
  async remove(caller: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const endpoint = await this.findIn(manager, caller, id);
      await manager.delete(WebhookEndpoint, { id, organizationId: caller.organizationId });
      await this.audit.record(manager, {
        actor: caller,
        organizationId: caller.organizationId,
        action: 'webhook_endpoint.deleted',
        target: { type: 'webhook_endpoint', id },
        before: endpointState(endpoint),
        after: null,
      });
    });
    await this.directory.changed();
  }

  /** A new secret; the previous one keeps signing (second signature) for 24 hours. */
  async rotateSecret(caller: AuthUser, id: string): Promise<WebhookEndpointView> {
    await this.dataSource.transaction(async (manager) => {
      const endpoint = await this.findIn(manager, caller, id);
      const rotation = {
        secret: newEndpointSecret(),
        previousSecret: endpoint.secret,
        previousSecretExpiresAt: new Date(Date.now() + ROTATION_OVERLAP_MS),
      };
      await manager.update(
        WebhookEndpoint,
        { id, organizationId: caller.organizationId },
        rotation,
      );
      // Masked secrets only: enough to tell which secret a receiver holds, not to sign with it.
      await this.audit.record(manager, {
        actor: caller,
        organizationId: caller.organizationId,
        action: 'webhook_endpoint.secret_rotated',
        target: { type: 'webhook_endpoint', id },
        before: { secret: maskSecret(endpoint.secret) },
        after: {
          secret: maskSecret(rotation.secret),
          previousSecret: maskSecret(rotation.previousSecret),
          previousSecretExpiresAt: rotation.previousSecretExpiresAt.toISOString(),
        },
      });
    });
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
    await this.dataSource.transaction(async (manager) => {
      const delivery = await manager.findOne(WebhookDelivery, {
        where: { id: deliveryId, endpointId, organizationId: caller.organizationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!delivery) throw new NotFoundException(`Delivery ${deliveryId} not found`);
      await manager.update(
        WebhookDelivery,
        { id: deliveryId },
        { status: 'pending', completedAt: null, lastError: null },
      );
      // Sending an event again to a receiver is an admin's act on the organization's data flow,
      // like a replay of an inbound webhook: audited (never the body, which the receiver gets).
      await this.audit.record(manager, {
        actor: caller,
        organizationId: caller.organizationId,
        action: 'webhook_delivery.resent',
        target: { type: 'webhook_delivery', id: deliveryId },
        before: deliveryState(delivery),
        after: { ...deliveryState(delivery), status: 'pending', lastError: null },
      });
    });
    // After the commit: the job must find the delivery pending.
    const jobId = `${deliveryId}-resend-${Date.now()}`;
    await this.queue.add(DELIVER_WEBHOOK, { deliveryId }, deliveryJobOptions(this.config, jobId));
    const attempts = await this.dataSource
      .getRepository(WebhookDeliveryAttempt)
      .find({ where: { deliveryId }, order: { attemptedAt: 'DESC' }, take: 20 });
    return this.toDeliveryView(await repository.findOneByOrFail({ id: deliveryId }), attempts);
  }
}
