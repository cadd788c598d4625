import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { decimalToMicros } from '../../common/money';
import { DEFAULT_RATE_DECK } from './default-rate-deck';
import { Rate } from './entities/rate.entity';
import { RateDeckView, RateInput, RateView } from './rates.dto';
import { RateTerms } from './rating';

export const toRateTerms = (rate: Rate): RateTerms => ({
  ratePerMinuteMicros: rate.ratePerMinuteMicros,
  initialIncrement: rate.initialIncrement,
  subsequentIncrement: rate.subsequentIncrement,
  minimumSeconds: rate.minimumSeconds,
});

export const toRateView = (rate: Rate): RateView => ({
  prefix: rate.prefix,
  description: rate.description,
  currency: rate.currency,
  ratePerMinuteMicros: rate.ratePerMinuteMicros.toString(),
  initialIncrement: rate.initialIncrement,
  subsequentIncrement: rate.subsequentIncrement,
  minimumSeconds: rate.minimumSeconds,
  source: rate.organizationId ? 'organization' : 'default',
});

/** Installs the sample default deck when there is none (seed, tests). Returns how many rates it wrote. */
export async function installDefaultRateDeck(manager: EntityManager): Promise<number> {
  if ((await manager.countBy(Rate, { organizationId: IsNull() })) > 0) return 0;
  await manager.insert(
    Rate,
    DEFAULT_RATE_DECK.map((rate) => ({
      organizationId: null,
      prefix: rate.prefix,
      description: rate.description,
      currency: 'USD',
      ratePerMinuteMicros: decimalToMicros(rate.perMinute),
      initialIncrement: rate.increments[0],
      subsequentIncrement: rate.increments[1],
      minimumSeconds: rate.minimumSeconds ?? 0,
    })),
  );
  return DEFAULT_RATE_DECK.length;
}

/**
 * The rate deck: a default deck for every organization and per-organization overrides.
 * A destination takes the organization's longest matching prefix if it has one, else the default
 * deck's longest matching prefix.
 */
@Injectable()
export class RatesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findRate(
    organizationId: string,
    e164: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Rate | null> {
    const digits = e164.replace(/^\+/, '');
    const prefixes = Array.from({ length: digits.length }, (_, i) => digits.slice(0, i + 1));
    return manager
      .getRepository(Rate)
      .createQueryBuilder('rate')
      .where('rate.prefix IN (:...prefixes)', { prefixes })
      .andWhere('(rate.organization_id = :organizationId OR rate.organization_id IS NULL)', {
        organizationId,
      })
      .orderBy('rate.organization_id IS NULL', 'ASC')
      .addOrderBy('length(rate.prefix)', 'DESC')
      .limit(1)
      .getOne();
  }

  async deck(organizationId: string): Promise<RateDeckView> {
    const rates = await this.dataSource
      .getRepository(Rate)
      .createQueryBuilder('rate')
      .where('rate.organization_id = :organizationId OR rate.organization_id IS NULL', {
        organizationId,
      })
      .orderBy('rate.prefix', 'ASC')
      .getMany();
    return {
      organization: rates.filter((rate) => rate.organizationId).map(toRateView),
      default: rates.filter((rate) => !rate.organizationId).map(toRateView),
    };
  }

  /** Replaces the organization's overrides in one transaction; a prefix listed twice is a 409 naming it. */
  async replace(organizationId: string, rates: RateInput[]): Promise<RateDeckView> {
    const counts = new Map<string, number>();
    for (const rate of rates) counts.set(rate.prefix, (counts.get(rate.prefix) ?? 0) + 1);
    const repeated = [...counts].filter(([, count]) => count > 1).map(([prefix]) => `+${prefix}`);
    if (repeated.length) {
      throw new ConflictException(
        `Each prefix may appear once; listed more than once: ${repeated.join(', ')}`,
      );
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(Rate, { organizationId });
      if (rates.length) {
        await manager.insert(
          Rate,
          rates.map((rate) => ({
            organizationId,
            prefix: rate.prefix,
            description: rate.description,
            currency: 'USD',
            ratePerMinuteMicros: BigInt(rate.ratePerMinuteMicros),
            initialIncrement: rate.initialIncrement,
            subsequentIncrement: rate.subsequentIncrement,
            minimumSeconds: rate.minimumSeconds,
          })),
        );
      }
    });
    return this.deck(organizationId);
  }
}
