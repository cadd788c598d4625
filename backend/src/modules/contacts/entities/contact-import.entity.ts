import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One CSV import: its totals, and the problem rows of its full report (contact_import_problems). */
@Entity({ name: 'contact_imports' })
@Index('contact_imports_org_created_idx', ['organizationId', 'createdAt'])
export class ContactImport {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'integer', default: 0 })
  rows: number;

  @Column({ type: 'integer', default: 0 })
  created: number;

  @Column({ type: 'integer', default: 0 })
  updated: number;

  @Column({ type: 'integer', default: 0 })
  skipped: number;

  /** Skipped rows plus imported rows that left something out: the lines of the full report. */
  @Column({ type: 'integer', default: 0 })
  problems: number;
}
