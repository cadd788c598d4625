import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WebhookProvider } from './entities/webhook-event.entity';

export interface ProviderWebhookCounts {
  received: number;
  rejected: number;
  deadLettered: number;
}

/**
 * Counts of stored provider webhooks for the Providers page. Received and dead-lettered are the
 * organization's (an event belongs to one once matched to its call or payment: the organization
 * index); rejected requests (verified but malformed) never match an organization, so they are
 * counted for the whole platform, through their own small partial index.
 */
@Injectable()
export class WebhookStatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async countsSince(
    organizationId: string,
    since: Date,
  ): Promise<Map<WebhookProvider, ProviderWebhookCounts>> {
    const [own, rejected] = await Promise.all([
      this.dataSource.query(
        `SELECT provider::text AS provider, count(*)::int AS received,
                count(*) FILTER (WHERE state = 'dead')::int AS dead
           FROM webhook_events
          WHERE organization_id = $1 AND received_at >= $2
          GROUP BY provider`,
        [organizationId, since],
      ) as Promise<{ provider: WebhookProvider; received: number; dead: number }[]>,
      this.dataSource.query(
        `SELECT provider::text AS provider, count(*)::int AS rejected
           FROM webhook_events
          WHERE state = 'rejected' AND received_at >= $1
          GROUP BY provider`,
        [since],
      ) as Promise<{ provider: WebhookProvider; rejected: number }[]>,
    ]);
    const counts = new Map<WebhookProvider, ProviderWebhookCounts>();
    const of = (provider: WebhookProvider) => {
      let entry = counts.get(provider);
      if (!entry) counts.set(provider, (entry = { received: 0, rejected: 0, deadLettered: 0 }));
      return entry;
    };
    for (const row of own)
      Object.assign(of(row.provider), { received: row.received, deadLettered: row.dead });
    for (const row of rejected) of(row.provider).rejected = row.rejected;
    return counts;
  }
}
