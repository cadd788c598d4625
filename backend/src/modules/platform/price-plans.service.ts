import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PricePlan } from '../billing/entities/price-plan.entity';
import { RateDeckView, RateInput } from '../billing/rates.dto';
import { RatesService, toRateView } from '../billing/rates.service';
import { CreatePricePlanDto, PricePlanList, PricePlanView } from './platform.dto';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';

/** Price plans (rate decks the operator sells); the default plan is every organization's base. */
@Injectable()
export class PricePlansService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rateDecks: RatesService,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<PricePlanList> {
    const rows: {
      id: string;
      name: string;
      is_default: boolean;
      created_at: Date;
      rates: string;
      organizations: string;
    }[] = await this.dataSource.query(
      `SELECT p.id, p.name, p.is_default, p.created_at,
              (SELECT count(*) FROM rates r WHERE r.price_plan_id = p.id) AS rates,
              (SELECT count(*) FROM organizations o
                WHERE o.price_plan_id = p.id OR (p.is_default AND o.price_plan_id IS NULL)) AS organizations
         FROM price_plans p ORDER BY p.is_default DESC, p.name`,
    );
    return {
      items: rows.map((row): PricePlanView => ({
        id: row.id,
        name: row.name,
        isDefault: row.is_default,
        createdAt: row.created_at.toISOString(),
        rates: Number(row.rates),
        organizations: Number(row.organizations),
      })),
    };
  }

  async create(operator: AuthUser, body: CreatePricePlanDto): Promise<PricePlanView> {
    const id = await this.dataSource.transaction(async (manager) => {
      if (await manager.existsBy(PricePlan, { name: body.name }))
        throw new ConflictException(`A price plan named "${body.name}" already exists`);
      if (body.copyFrom && !(await manager.existsBy(PricePlan, { id: body.copyFrom })))
        throw new NotFoundException(`Price plan ${body.copyFrom} not found`);
      const plan = await manager.save(manager.create(PricePlan, { name: body.name }));
      if (body.copyFrom) {
        await manager.query(
          `INSERT INTO rates (price_plan_id, prefix, description, currency, rate_per_minute_micros,
                              initial_increment, subsequent_increment, minimum_seconds)
           SELECT $1, prefix, description, currency, rate_per_minute_micros, initial_increment,
                  subsequent_increment, minimum_seconds
             FROM rates WHERE price_plan_id = $2`,
          [plan.id, body.copyFrom],
        );
      }
      await this.audit.record(manager, {
        actor: operator,
        organizationId: null,
        action: 'price_plan.created',
        target: { type: 'price_plan', id: plan.id },
        after: { name: plan.name, copyFrom: body.copyFrom ?? null },
      });
      return plan.id;
    });
    return (await this.list()).items.find((plan) => plan.id === id)!;
  }

  async rates(id: string): Promise<RateDeckView> {
    return this.rateDecks.deckOfPlan(await this.plan(id));
  }

  async replaceRates(operator: AuthUser, id: string, rates: RateInput[]): Promise<RateDeckView> {
    const plan = await this.plan(id);
    return this.rateDecks.replace(plan, rates, (manager, previous) =>
      this.audit.record(manager, {
        actor: operator,
        organizationId: null,
        action: 'price_plan.rates_replaced',
        target: { type: 'price_plan', id: plan.id },
        before: {
          name: plan.name,
          rates: previous.map((rate) => toRateView(rate, 'organization')),
        },
        after: { name: plan.name, rates },
      }),
    );
  }

  private async plan(id: string): Promise<PricePlan> {
    const plan = await this.dataSource.getRepository(PricePlan).findOneBy({ id });
    if (!plan) throw new NotFoundException(`Price plan ${id} not found`);
    return plan;
  }
}
