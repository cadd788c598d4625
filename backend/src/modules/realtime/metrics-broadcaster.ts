import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Server, Socket } from 'socket.io';
import { DashboardService } from '../dashboard/dashboard.service';
import { REDIS } from '../redis/redis.module';
import type { SocketData } from './realtime.gateway';
import { adminsRoom, organizationOfRoom, userRoom } from './rooms';

/** At most once a second per organization (across all processes), however many events arrive. */
const INTERVAL_MS = 1000;
/** How long an organization counts as watched after an api node last saw one of its sockets. */
const WATCHED_TTL_SECONDS = 30;
const WATCHED_REFRESH_MS = 10_000;

interface Pending {
  agents: Set<string>;
  timer?: NodeJS.Timeout;
  lastSent: number;
}

const watchedKey = (organizationId: string) => `metrics-watched:${organizationId}`;
const sentKey = (organizationId: string) => `metrics-sent:${organizationId}`;

/**
 * Coalesces `metrics:updated`: events only mark an organization dirty; its numbers are computed and
 * sent at most once a second — organization-wide to its admins, and each touched agent's own numbers
 * to that agent. The process where the change happened (the worker, usually) computes them, off the
 * api's path to the browsers, and only for organizations somebody is watching: api nodes keep a
 * Redis key alive for each organization with sockets connected to them. With several processes, a
 * Redis key claims each organization's second: the process that gets it sends, the others with
 * changes try again when it ends.
 */
@Injectable()
export class MetricsBroadcaster implements OnModuleDestroy {
  private readonly logger = new Logger(MetricsBroadcaster.name);
  private readonly pending = new Map<string, Pending>();
  private server?: Server;
  private watchedRefresh?: NodeJS.Timeout;

  constructor(
    private readonly dashboard: DashboardService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  attach(server: Server): void {
    this.server = server;
    // On api nodes: say which organizations have sockets here (a worker's server has none).
    server.on('connection', (socket: Socket) => {
      const organizationId = (socket.data as Partial<SocketData>).user?.organizationId;
      if (organizationId) void this.markWatched([organizationId]);
    });
    this.watchedRefresh = setInterval(() => {
      const organizations = [...server.of('/').adapter.rooms.keys()]
        .map(organizationOfRoom)
        .filter((organizationId): organizationId is string => organizationId !== null);
      void this.markWatched(organizations);
    }, WATCHED_REFRESH_MS);
    this.watchedRefresh.unref();
  }

  schedule(organizationId: string, agentId?: string): void {
    if (!this.server) return;
    let entry = this.pending.get(organizationId);
    if (!entry) {
      entry = { agents: new Set(), lastSent: 0 };
      this.pending.set(organizationId, entry);
    }
    if (agentId) entry.agents.add(agentId);
    if (entry.timer) return;
    const wait = Math.max(0, entry.lastSent + INTERVAL_MS - Date.now());
    entry.timer = setTimeout(() => void this.send(organizationId), wait);
  }

  private async send(organizationId: string): Promise<void> {
    const entry = this.pending.get(organizationId);
    if (!entry || !this.server) return;
    const turn = await this.claim(organizationId);
    if (turn.waitMs > 0) {
      entry.timer = setTimeout(() => void this.send(organizationId), turn.waitMs);
      return;
    }
    const agents = [...entry.agents];
    entry.agents.clear();
    entry.timer = undefined;
    entry.lastSent = Date.now();
    if (!turn.watched) return; // nobody would see them
    try {
      this.server
        .to(adminsRoom(organizationId))
        .emit('metrics:updated', await this.dashboard.metrics(organizationId));
      for (const agentId of agents) {
        // Admins already got the organization's numbers; only agent sockets get their own.
        this.server
          .to(userRoom(agentId))
          .except(adminsRoom(organizationId))
          .emit('metrics:updated', await this.dashboard.metrics(organizationId, agentId));
      }
    } catch (error) {
      this.logger.warn(
        `metrics for organization ${organizationId} not sent: ${(error as Error).message}`,
      );
    }
  }

  /**
   * In one round trip: whether anybody watches the organization, and whether this process may send
   * its numbers now (else how long to wait).
   */
  private async claim(organizationId: string): Promise<{ watched: boolean; waitMs: number }> {
    try {
      const results = await this.redis
        .multi()
        .exists(watchedKey(organizationId))
        .set(sentKey(organizationId), '1', 'PX', INTERVAL_MS, 'NX')
        .pttl(sentKey(organizationId))
        .exec();
      const [[, watched], [, claimed], [, ttl]] = results as [unknown, unknown][];
      return {
        watched: watched === 1,
        waitMs: claimed === 'OK' ? 0 : Math.max(1, Number(ttl)),
      };
    } catch {
      return { watched: true, waitMs: 0 }; // Redis is away: each process sends its own
    }
  }

  private async markWatched(organizationIds: string[]): Promise<void> {
    if (organizationIds.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const id of organizationIds) pipeline.set(watchedKey(id), '1', 'EX', WATCHED_TTL_SECONDS);
    await pipeline.exec().catch(() => undefined);
  }

  onModuleDestroy(): void {
    clearInterval(this.watchedRefresh);
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
  }
}
