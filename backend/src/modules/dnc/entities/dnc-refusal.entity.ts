import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One attempt to call a listed number, refused before any hold or provider request: an admin sees
 * who tried, and a campaign's skipped contacts can point at the same reason later.
 */
@Entity({ name: 'dnc_refusals' })
@Index('dnc_refusals_org_phone_idx', ['organizationId', 'phone', 'createdAt'])
export class DncRefusal {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** E.164. */
  @Column({ type: 'varchar', length: 32 })
  phone: string;

  /** The provider the call was meant for (simulator, exotel, bolna, twilio). */
  @Column({ type: 'varchar', length: 20 })
  provider: string;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
