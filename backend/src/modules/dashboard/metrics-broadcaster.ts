import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Server, Socket } from 'socket.io';
import { REDIS } from '../../redis/redis.module';
import { RealtimeEvents } from '../realtime/realtime-events';
import type { SocketData } from '../realtime/realtime.gateway';
import { adminsRoom, userRoom } from '../realtime/rooms';
import { DashboardService } from './dashboard.service';

/** At most once a second per organization (across all processes), however many events arrive. */
const INTERVAL_MS = 1000;
/**
 * The numbers read every call of the organization's day: with a million calls that takes most of a
 * second. An organization whose numbers took longer than a tenth of its interval to compute waits
 * ten times that long before the next, so the dashboard costs the database at most a tenth of its
 * time however busy the day (the numbers come a few seconds apart; call events stay immediate).
 */
const BUSY_FACTOR = 10;
/** How long an organization counts as watched after an api node last saw one of its sockets. */
const WATCHED_TTL_SECONDS = 30;
const WATCHED_REFRESH_MS = 10_000;

interface Pending {
  agents: Set<string>;
  timer?: NodeJS.Timeout;
  lastSent: number;
  intervalMs: number;
}

const watchedKey = (organizationId: string) => `metrics-watched:${organizationId}`;
const watchedAgentKey = (userId: string) => `metrics-watched-agent:${userId}`;
const sentKey = (organizationId: string) => `metrics-sent:${organizationId}`;

/**
 * Coalesces `metrics:updated`: the publisher's `calls-changed` events only mark an organization dirty; its numbers are computed and
 * sent at most once a second (less often when they are slow to compute: BUSY_FACTOR) —
 * organization-wide to its admins, and each touched agent's own numbers to that agent. The process
 * where the change happened (the worker, usually) computes them, off the api's path to the
 * browsers, and only for those somebody is watching: api nodes keep a Redis key alive for each
 * organization with sockets connected to them, and for each agent connected (an admin's own calls
 * need no numbers of their own: admins get the organization's). With several processes, a Redis
 * key claims each organization's interval: the process that gets it sends, the others with changes
 * try again when it ends.
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
    events: RealtimeEvents,
  ) {
    events.on('server-attached', (server) => this.attach(server));
    events.on('calls-changed', ({ organizationId, agentId }) =>
      this.schedule(organizationId, agentId),
    );
  }

  private attach(server: Server): void {
    this.server = server;
    // On api nodes: say who has sockets here (a worker's server has none).
    server.on('connection', (socket: Socket) => void this.markWatched([socket]));
    this.watchedRefresh = setInterval(
      () => void this.markWatched([...server.of('/').sockets.values()]),
      WATCHED_REFRESH_MS,
    );
    this.watchedRefresh.unref();
  }

  schedule(organizationId: string, agentId?: string): void {
    if (!this.server) return;
    let entry = this.pending.get(organizationId);
    if (!entry) {
      entry = { agents: new Set(), lastSent: 0, intervalMs: INTERVAL_MS };
      this.pending.set(organizationId, entry);
    }
    if (agentId) entry.agents.add(agentId);
    if (entry.timer) return;
    const wait = Math.max(0, entry.lastSent + entry.intervalMs - Date.now());
    entry.timer = setTimeout(() => void this.send(organizationId), wait);
  }

  private async send(organizationId: string): Promise<void> {
    const entry = this.pending.get(organizationId);
    if (!entry || !this.server) return;
    const asked = [...entry.agents];
    const turn = await this.claim(organizationId, asked, entry.intervalMs);
    if (turn.waitMs > 0) {
      entry.timer = setTimeout(() => void this.send(organizationId), turn.waitMs);
      return;
    }
    const agents = asked.filter((agentId) => !turn.unwatchedAgents.has(agentId));
    for (const agentId of asked) entry.agents.delete(agentId);
    entry.timer = undefined;
    entry.lastSent = Date.now();
    // Agents whose calls changed while claiming were not asked about: they wait for the next turn.
    if (entry.agents.size > 0) this.schedule(organizationId);
    if (!turn.watched) return; // nobody would see them
    const started = performance.now();
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
    entry.intervalMs = Math.max(
      INTERVAL_MS,
      Math.ceil((performance.now() - started) * BUSY_FACTOR),
    );
    // The other processes wait as long (their claim fails while the key lives).
    if (entry.intervalMs > INTERVAL_MS)
      await this.redis
        .set(sentKey(organizationId), '1', 'PX', entry.intervalMs)
        .catch(() => undefined);
  }

  /**
   * In one round trip: whether anybody watches the organization, which of its changed agents are
   * connected, and whether this process may send its numbers now (else how long to wait).
   */
  private async claim(
    organizationId: string,
    candidates: string[],
    intervalMs: number,
  ): Promise<{ watched: boolean; unwatchedAgents: Set<string>; waitMs: number }> {
    try {
      const transaction = this.redis
        .multi()
        .exists(watchedKey(organizationId))
        .set(sentKey(organizationId), '1', 'PX', intervalMs, 'NX')
        .pttl(sentKey(organizationId));
      for (const agentId of candidates) transaction.exists(watchedAgentKey(agentId));
      const results = (await transaction.exec()) as [unknown, unknown][];
      const [[, watched], [, claimed], [, ttl], ...agentsWatched] = results;
      return {
        watched: watched === 1,
        unwatchedAgents: new Set(
          candidates.filter((_agentId, index) => agentsWatched[index][1] !== 1),
        ),
        waitMs: claimed === 'OK' ? 0 : Math.max(1, Number(ttl)),
      };
    } catch {
      // Redis is away: each process sends its own
      return { watched: true, unwatchedAgents: new Set(), waitMs: 0 };
    }
  }

  private async markWatched(sockets: Socket[]): Promise<void> {
    const keys = new Set<string>();
    for (const socket of sockets) {
      const user = (socket.data as Partial<SocketData>).user;
      if (!user) continue;
      keys.add(watchedKey(user.organizationId));
      if (user.role === 'agent') keys.add(watchedAgentKey(user.id));
    }
    if (keys.size === 0) return;
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.set(key, '1', 'EX', WATCHED_TTL_SECONDS);
    await pipeline.exec().catch(() => undefined);
  }

  onModuleDestroy(): void {
    clearInterval(this.watchedRefresh);
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
  }
}
