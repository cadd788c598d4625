import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Server } from 'socket.io';
import { DashboardService } from '../dashboard/dashboard.service';
import { REDIS } from '../redis/redis.module';
import { adminsRoom, userRoom } from './rooms';

/** At most once a second per organization (across all processes), however many events arrive. */
const INTERVAL_MS = 1000;

interface Pending {
  agents: Set<string>;
  timer?: NodeJS.Timeout;
  lastSent: number;
}

/**
 * Coalesces `metrics:updated`: events only mark an organization dirty; its numbers are computed and
 * sent at most once a second — organization-wide to its admins, and each touched agent's own numbers
 * to that agent. With several api and worker processes, a Redis key claims each organization's
 * second: the process that gets it sends, the others with changes try again when it ends.
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
    const waitMs = await this.claim(organizationId);
    if (waitMs > 0) {
      entry.timer = setTimeout(() => void this.send(organizationId), waitMs);
      return;
    }
    const agents = [...entry.agents];
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
