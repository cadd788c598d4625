import {
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A person or business an organization calls. Deleted contacts are kept (soft delete) so calls keep their link. */
@Entity({ name: 'contacts' })
@Index('contacts_org_phone_key', ['organizationId', 'phone'], {
  unique: true,
  where: '"deleted_at" IS NULL',
})
@Index('contacts_org_name_idx', ['organizationId', 'sortName', 'id'])
// Search of names, companies and numbers anywhere in them: pg_trgm GIN indexes, made in the
// migration (TypeORM cannot declare an operator class).
@Index('contacts_sort_name_trgm_idx', { synchronize: false })
@Index('contacts_company_trgm_idx', { synchronize: false })
@Index('contacts_phone_trgm_idx', { synchronize: false })
export class Contact {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** lower(name): the keyset order of the list. */
  @Column({ name: 'sort_name', type: 'varchar', length: 200 })
  sortName: string;

  /** E.164. */
  @Column({ type: 'varchar', length: 32 })
  phone: string;

  @Column({ type: 'char', length: 2, nullable: true })
  country: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  company: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ name: 'last_called_at', type: 'timestamptz', nullable: true })
  lastCalledAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
