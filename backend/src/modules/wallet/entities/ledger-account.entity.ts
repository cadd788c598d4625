import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const LEDGER_ACCOUNT_KINDS = [
  'wallet',
  'holds',
  'platform_revenue',
  'topup_funding',
] as const;
/**
 * wallet: an organization's money free to spend; holds: its money reserved for calls in progress;
 * platform_revenue: what calls earned Switchboard; topup_funding: where prepaid money comes from
 * (the counterpart of top-ups and adjustments).
 */
export type LedgerAccountKind = (typeof LEDGER_ACCOUNT_KINDS)[number];

@Entity({ name: 'ledger_accounts' })
@Index('ledger_accounts_org_kind_key', ['organizationId', 'kind'], {
  unique: true,
  where: '"organization_id" IS NOT NULL',
})
@Index('ledger_accounts_platform_kind_key', ['kind', 'currency'], {
  unique: true,
  where: '"organization_id" IS NULL',
})
export class LedgerAccount {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** null for the platform's own accounts. */
  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  @Column({ type: 'enum', enum: LEDGER_ACCOUNT_KINDS, enumName: 'ledger_account_kind' })
  kind: LedgerAccountKind;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
