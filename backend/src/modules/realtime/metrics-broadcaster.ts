import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Server } from 'socket.io';
import { DashboardService } from '../dashboard/dashboard.service';
import { REDIS } from '../redis/redis.module';
import { adminsRoom, organizationRoom, userRoom } from './rooms';

/** At most once a second per organization (across all processes), however many events arrive. */
const INTERVAL_MS = 1000;
/** The server-side message (between processes, never to browsers) that says numbers changed. */
const METRICS_CHANGED = 'metrics:changed';

interface Pending {
  agents: Set<string>;
  /** The change happened in this process: the other processes must hear of it. */
  local: boolean;
  timer?: NodeJS.Timeout;
  lastSent: number;
}

/**
 * Coalesces `metrics:updated`: events only mark an organization dirty; its numbers are computed and
 * sent at most once a second — organization-wide to its admins, and each touched agent's own numbers
 * to that agent.
 *
 * Only a process with the organization's sockets connected computes them (a worker has none, and
 * nobody pays for the dashboards of organizations nobody is watching): a process where the change
 * happened tells the others (socket.io's server-side emit, through the same Redis adapter), and
 * each api node with sockets of that organization takes it from there. With several such nodes a
 * Redis key claims each organization's second: the node that gets it sends to every node's
 * sockets, the others with changes try again when it ends.
 */
@Injectable()
export class MetricsBroadcaster implements OnModuleDestroy {
  private readonly logger = new Logger(MetricsBroadcaster.name);
  private readonly pending = new Map<string, Pending>();
  private server?: Server;

  constructor(
    private readonly dashboard: DashboardService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  attach(server: Server): void {
    this.server = server;
    server.on(METRICS_CHANGED, (organizationId: string, agentIds: string[]) => {
      for (const agentId of agentIds) this.mark(organizationId, agentId, false);
      if (agentIds.length === 0) this.mark(organizationId, undefined, false);
    });
  }

  /** A change in this process touched the organization's numbers (and this agent's). */
  schedule(organizationId: string, agentId?: string): void {
    this.mark(organizationId, agentId, true);
  }

  private mark(organizationId: string, agentId: string | undefined, local: boolean): void {
    if (!this.server) return;
    let entry = this.pending.get(organizationId);
    if (!entry) {
      entry = { agents: new Set(), local: false, lastSent: 0 };
      this.pending.set(organizationId, entry);
    }
    if (agentId) entry.agents.add(agentId);
    entry.local ||= local;
    if (entry.timer) return;
    const wait = Math.max(0, entry.lastSent + INTERVAL_MS - Date.now());
    entry.timer = setTimeout(() => void this.send(organizationId), wait);
  }

  private async send(organizationId: string): Promise<void> {
    const entry = this.pending.get(organizationId);
    if (!entry || !this.server) return;
    const agents = [...entry.agents];
    if (entry.local) {
      this.server.serverSideEmit(METRICS_CHANGED, organizationId, agents);
      entry.local = false;
    }
    const listening = this.listeningHere(organizationId, agents);
    if (!listening) {
      entry.agents.clear();
      entry.timer = undefined;
      return;
    }
    const waitMs = await this.claim(organizationId);
    if (waitMs > 0) {
      entry.timer = setTimeout(() => void this.send(organizationId), waitMs);
      return;
    }
    entry.agents.clear();
    entry.timer = undefined;
    entry.lastSent = Date.now();
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

  /** Whether a socket of the organization is connected to this process (never, in a worker). */
  private listeningHere(organizationId: string, agentIds: string[]): boolean {
    const rooms = this.server!.of('/').adapter.rooms;
    return (
      rooms.has(organizationRoom(organizationId)) &&
      (rooms.has(adminsRoom(organizationId)) || agentIds.some((id) => rooms.has(userRoom(id))))
    );
  }

  /** 0 when this process may send the organization's numbers now; else how long to wait. */
  private async claim(organizationId: string): Promise<number> {
    const key = `metrics-sent:${organizationId}`;
    try {
      if ((await this.redis.set(key, '1', 'PX', INTERVAL_MS, 'NX')) === 'OK') return 0;
      return Math.max(1, await this.redis.pttl(key));
    } catch {
      return 0; // Redis is away: each process sends its own, as before a claim existed
    }
  }

  onModuleDestroy(): void {
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
  }
}
