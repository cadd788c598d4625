import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const DNC_SOURCES = ['manual', 'disposition', 'import', 'ai'] as const;
export type DncSource = (typeof DNC_SOURCES)[number];

/** A number an organization must never call: every placement path asks DncService first. */
@Entity({ name: 'dnc_numbers' })
@Index('dnc_numbers_org_phone_key', ['organizationId', 'phone'], { unique: true })
@Index('dnc_numbers_org_created_idx', ['organizationId', 'createdAt', 'id'])
export class DncNumber {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** E.164. */
  @Column({ type: 'varchar', length: 32 })
  phone: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @Column({ type: 'varchar', length: 20 })
  source: DncSource;

  /** null for additions no person made (imports, AI later). */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
