import { Check, Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { bigintTransformer } from '../../../database/money.transformer';

/**
 * One line of a rate deck: calls to numbers starting with `prefix` (E.164 digits, no '+') cost
 * `ratePerMinuteMicros`, billed in increments (`initialIncrement` seconds first, then
 * `subsequentIncrement`), never less than `minimumSeconds` once answered.
 * organization_id null: the default deck every organization uses unless it overrides the prefix.
 */
@Entity({ name: 'rates' })
@Index('rates_default_prefix_key', ['prefix'], { unique: true, where: '"organization_id" IS NULL' })
@Index('rates_org_prefix_key', ['organizationId', 'prefix'], {
  unique: true,
  where: '"organization_id" IS NOT NULL',
})
@Check('rates_prefix_digits', `"prefix" ~ '^[1-9][0-9]{0,14}$'`)
@Check(
  'rates_positive',
  '"rate_per_minute_micros" >= 0 AND "initial_increment" > 0 AND "subsequent_increment" > 0 AND "minimum_seconds" >= 0',
)
export class Rate {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

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
