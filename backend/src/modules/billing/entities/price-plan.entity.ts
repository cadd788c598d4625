import { CreateDateColumn, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A price plan: a rate deck the platform operator sells. An organization uses its plan's rates
 * and, for destinations its plan does not list, the default plan's (exactly one plan is default;
 * organizations with no plan use it).
 */
@Entity({ name: 'price_plans' })
@Index('price_plans_name_key', ['name'], { unique: true })
@Index('price_plans_one_default', ['isDefault'], { unique: true, where: '"is_default"' })
export class PricePlan {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
