import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { decimalToMicros } from '../../common/money';
import { DEFAULT_RATE_DECK } from './default-rate-deck';
import { PricePlan } from './entities/price-plan.entity';
import { Rate } from './entities/rate.entity';
import { RateDeckView, RateInput, RateView } from './rates.dto';
import { RateTerms } from './rating';

export const toRateTerms = (rate: Rate): RateTerms => ({
  ratePerMinuteMicros: rate.ratePerMinuteMicros,
  initialIncrement: rate.initialIncrement,
  subsequentIncrement: rate.subsequentIncrement,
  minimumSeconds: rate.minimumSeconds,
});

export const toRateView = (rate: Rate, source: RateView['source']): RateView => ({
  prefix: rate.prefix,
  description: rate.description,
  currency: rate.currency,
  ratePerMinuteMicros: rate.ratePerMinuteMicros.toString(),
  initialIncrement: rate.initialIncrement,
  subsequentIncrement: rate.subsequentIncrement,
  minimumSeconds: rate.minimumSeconds,
  source,
});

/** The default plan (a migration creates it). */
export async function defaultPricePlan(manager: EntityManager): Promise<PricePlan> {
  return manager.findOneByOrFail(PricePlan, { isDefault: true });
}

/** Installs the sample default deck when the default plan has none (seed, tests). Returns how many rates it wrote. */
export async function installDefaultRateDeck(manager: EntityManager): Promise<number> {
  const plan = await defaultPricePlan(manager);
  if ((await manager.countBy(Rate, { pricePlanId: plan.id })) > 0) return 0;
  await manager.insert(
    Rate,
    DEFAULT_RATE_DECK.map((rate) => ({
      pricePlanId: plan.id,
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
 * Rates come from price plans (docs/platform.md): a destination takes the longest matching prefix
 * of the organization's plan if it has one, else the default plan's longest matching prefix.
 * Organizations read their deck; only the platform operator changes plans.
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
      .innerJoinAndSelect('rate.pricePlan', 'plan')
      .where('rate.prefix IN (:...prefixes)', { prefixes })
      .andWhere(
        '(plan.is_default OR plan.id = (SELECT price_plan_id FROM organizations WHERE id = :organizationId))',
        { organizationId },
      )
      .orderBy('plan.is_default', 'ASC')
      .addOrderBy('length(rate.prefix)', 'DESC')
      .limit(1)
      .getOne();
  }

  /** The organization's plan (the default plan when it has none). */
  async planOf(organizationId: string, manager = this.dataSource.manager): Promise<PricePlan> {
    const rows: { price_plan_id: string | null }[] = await manager.query(
      'SELECT price_plan_id FROM organizations WHERE id = $1',
      [organizationId],
    );
    const planId = rows[0]?.price_plan_id;
    return planId ? manager.findOneByOrFail(PricePlan, { id: planId }) : defaultPricePlan(manager);
  }

  /** What an organization pays: its plan's rates and the default plan's. */
  async deck(organizationId: string): Promise<RateDeckView> {
    return this.deckOfPlan(await this.planOf(organizationId));
  }

  async deckOfPlan(plan: PricePlan): Promise<RateDeckView> {
    const base = plan.isDefault ? plan : await defaultPricePlan(this.dataSource.manager);
    const rates = await this.dataSource
      .getRepository(Rate)
      .createQueryBuilder('rate')
      .where('rate.price_plan_id IN (:...plans)', { plans: [...new Set([plan.id, base.id])] })
      .orderBy('rate.prefix', 'ASC')
      .getMany();
    return {
      plan: { id: plan.id, name: plan.name, isDefault: plan.isDefault },
      organization: plan.isDefault
        ? []
        : rates
            .filter((rate) => rate.pricePlanId === plan.id)
            .map((r) => toRateView(r, 'organization')),
      default: rates
        .filter((rate) => rate.pricePlanId === base.id)
        .map((r) => toRateView(r, 'default')),
    };
  }

  /**
   * Replaces the plan's whole deck in one transaction (a prefix listed twice is a 409 naming it);
   * `within` runs in it with the deck replaced.
   */
  async replace(
    plan: PricePlan,
    rates: RateInput[],
    within?: (manager: EntityManager, previous: Rate[]) => Promise<void>,
  ): Promise<RateDeckView> {
    const counts = new Map<string, number>();
    for (const rate of rates) counts.set(rate.prefix, (counts.get(rate.prefix) ?? 0) + 1);
    const repeated = [...counts].filter(([, count]) => count > 1).map(([prefix]) => `+${prefix}`);
    if (repeated.length) {
      throw new ConflictException(
        `Each prefix may appear once; listed more than once: ${repeated.join(', ')}`,
      );
    }
    await this.dataSource.transaction(async (manager) => {
      const previous = within
        ? await manager.find(Rate, { where: { pricePlanId: plan.id }, order: { prefix: 'ASC' } })
        : [];
      await manager.delete(Rate, { pricePlanId: plan.id });
      if (rates.length) {
        await manager.insert(
          Rate,
          rates.map((rate) => ({
            pricePlanId: plan.id,
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
      await within?.(manager, previous);
    });
    return this.deckOfPlan(plan);
  }
}
