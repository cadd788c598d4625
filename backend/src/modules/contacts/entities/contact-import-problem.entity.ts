import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ContactImport } from './contact-import.entity';

/** A row of an import that was skipped, or imported without something; streamed as its report. */
@Entity({ name: 'contact_import_problems' })
export class ContactImportProblem {
  @PrimaryColumn({ name: 'import_id', type: 'uuid' })
  importId: string;

  /** Line of the data row in the file (the header is line 1). */
  @PrimaryColumn({ type: 'integer' })
  line: number;

  @ManyToOne(() => ContactImport, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'import_id' })
  contactImport?: ContactImport;

  @Column({ type: 'varchar', length: 10 })
  outcome: 'created' | 'updated' | 'skipped';

  @Column({ name: 'contact_id', type: 'uuid', nullable: true })
  contactId: string | null;

  @Column({ type: 'text' })
  reason: string;
}
