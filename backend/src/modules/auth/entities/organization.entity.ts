import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { PricePlan } from '../../billing/entities/price-plan.entity';

@Entity({ name: 'organizations' })
export class Organization {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** ISO 3166 alpha-2 country used to read national phone numbers. */
  @Column({ name: 'default_country', type: 'char', length: 2, default: 'US' })
  defaultCountry: string;

  /** ISO 4217 currency of the organization's wallet. */
  @Column({ type: 'char', length: 3, default: 'USD' })
  currency: string;

  /**
   * IANA time zone that defines the organization's days ("today", billing days) and the times the
   * console shows. Null until the owner sets it or first signs in (then the browser's zone); read
   * as UTC meanwhile (see organizationTimeZone).
   */
  @Column({ name: 'time_zone', type: 'varchar', length: 64, nullable: true })
  timeZone: string | null;
  /** Set while the platform operator has suspended it: no sign-in, no token, no calls. */
  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true })
  suspendedAt: Date | null;

  @Column({ name: 'suspension_reason', type: 'varchar', length: 300, nullable: true })
  suspensionReason: string | null;

  /** Its price plan; null: the default plan. */
  @Column({ name: 'price_plan_id', type: 'uuid', nullable: true })
  pricePlanId: string | null;

  @ManyToOne(() => PricePlan, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'price_plan_id', foreignKeyConstraintName: 'organizations_price_plan_fk' })
  pricePlan?: PricePlan;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
