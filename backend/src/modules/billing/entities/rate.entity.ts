import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { PricePlan } from './price-plan.entity';
import { bigintTransformer } from '../../../database/money.transformer';

/**
 * One line of a rate deck: calls to numbers starting with `prefix` (E.164 digits, no '+') cost
 * `ratePerMinuteMicros`, billed in increments (`initialIncrement` seconds first, then
 * `subsequentIncrement`), never less than `minimumSeconds` once answered.
 * Each rate belongs to a price plan (see PricePlan).
 */
@Entity({ name: 'rates' })
@Index('rates_plan_prefix_key', ['pricePlanId', 'prefix'], { unique: true })
@Check('rates_prefix_digits', `"prefix" ~ '^[1-9][0-9]{0,14}$'`)
@Check(
  'rates_positive',
  '"rate_per_minute_micros" >= 0 AND "initial_increment" > 0 AND "subsequent_increment" > 0 AND "minimum_seconds" >= 0',
)
export class Rate {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'price_plan_id', type: 'uuid' })
  pricePlanId: string;

  @ManyToOne(() => PricePlan, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'price_plan_id' })
  pricePlan?: PricePlan;

  @Column({ type: 'varchar', length: 15 })
  prefix: string;

  @Column({ type: 'varchar', length: 120 })
  description: string;

  @Column({ type: 'char', length: 3, default: 'USD' })
  currency: string;

  @Column({ name: 'rate_per_minute_micros', type: 'bigint', transformer: bigintTransformer })
  ratePerMinuteMicros: bigint;

  @Column({ name: 'initial_increment', type: 'integer', default: 60 })
  initialIncrement: number;

  @Column({ name: 'subsequent_increment', type: 'integer', default: 60 })
  subsequentIncrement: number;

  @Column({ name: 'minimum_seconds', type: 'integer', default: 0 })
  minimumSeconds: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
