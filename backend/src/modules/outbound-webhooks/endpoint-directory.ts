import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../../redis/redis.module';

const GENERATION_KEY = 'outbound-webhooks:generation';
const CHECK_EVERY_MS = 1000;
/** Reloaded this often whatever Redis says (a lost generation key, a missed increment). */
const RELOAD_EVERY_MS = 60_000;

export interface DirectoryEndpoint {
  id: string;
  events: Set<string>;
}

/**
 * Which organizations have enabled endpoints, and for which events: the hot path (every
 * published call change) asks this in-memory map and does nothing for the other organizations.
 * Every process holds the whole (small) table; a change bumps a generation counter in Redis,
 * which each process reads once a second to reload, so a new endpoint gets events within a second
 * on every node, and at once in the process that changed it.
 */
@Injectable()
export class EndpointDirectory implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EndpointDirectory.name);
  private byOrganization = new Map<string, DirectoryEndpoint[]>();
  private generation: string | null | undefined;
  private loadedAt = 0;
  private timer?: NodeJS.Timeout;
  private refreshing?: Promise<void>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.refresh(), CHECK_EVERY_MS);
    this.timer.unref();
    void this.refresh();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** The organization's enabled endpoints (empty for almost every organization). */
  endpointsOf(organizationId: string): DirectoryEndpoint[] {
    return this.byOrganization.get(organizationId) ?? [];
  }

  /** Call after a committed change of endpoints: every process reloads within a second. */
  async changed(): Promise<void> {
    try {
      await this.redis.incr(GENERATION_KEY);
    } catch (error) {
      this.logger.warn(`endpoint change not announced: ${(error as Error).message}`);
    }
    await this.refresh(true);
  }

  /** Reloads when the generation moved (or `force`). One reload at a time. */
  refresh(force = false): Promise<void> {
    this.refreshing ??= this.reloadIfStale(force).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async reloadIfStale(force: boolean): Promise<void> {
    let generation: string | null | undefined;
    try {
      generation = await this.redis.get(GENERATION_KEY);
    } catch {
      generation = undefined; // Redis away: keep what we have, reload on the slow clock
    }
    const stale =
      force ||
      this.loadedAt === 0 ||
      (generation !== undefined && generation !== this.generation) ||
      Date.now() - this.loadedAt > RELOAD_EVERY_MS;
    if (!stale) return;
    try {
      const rows: { id: string; organization_id: string; events: string[] }[] =
        await this.dataSource.query(
          `SELECT id, organization_id, events FROM webhook_endpoints WHERE enabled`,
        );
      const next = new Map<string, DirectoryEndpoint[]>();
      for (const row of rows) {
        const list = next.get(row.organization_id) ?? [];
        list.push({ id: row.id, events: new Set(row.events) });
        next.set(row.organization_id, list);
      }
      this.byOrganization = next;
      this.generation = generation;
      this.loadedAt = Date.now();
    } catch (error) {
      this.logger.warn(`endpoints not reloaded: ${(error as Error).message}`);
    }
  }
}
