import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from '../../../database/money.transformer';

export const LEDGER_TRANSACTION_KINDS = [
  'topup',
  'hold',
  'capture',
  'release',
  'call_charge',
  'refund',
  'adjustment',
] as const;
export type LedgerTransactionKind = (typeof LEDGER_TRANSACTION_KINDS)[number];

/** One movement of money; its entries sum to zero. The idempotency key makes a retry harmless. */
@Entity({ name: 'ledger_transactions' })
@Index('ledger_transactions_idempotency_key', ['idempotencyKey'], { unique: true })
@Index('ledger_transactions_org_created_idx', ['organizationId', 'createdAt', 'id'])
@Index('ledger_transactions_call_idx', ['callId'], { where: '"call_id" IS NOT NULL' })
export class LedgerTransaction {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'enum', enum: LEDGER_TRANSACTION_KINDS, enumName: 'ledger_transaction_kind' })
  kind: LedgerTransactionKind;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 300 })
  idempotencyKey: string;

  /** Change of the organization's balance (wallet + holds) this transaction made. */
  @Column({ name: 'balance_change_micros', type: 'bigint', transformer: bigintTransformer })
  balanceChangeMicros: bigint;

  /** Change of the held amount this transaction made. */
  @Column({ name: 'held_change_micros', type: 'bigint', transformer: bigintTransformer })
  heldChangeMicros: bigint;

  /** Balance and held right after this transaction, as the wallet cached them. */
  @Column({ name: 'balance_after_micros', type: 'bigint', transformer: bigintTransformer })
  balanceAfterMicros: bigint;

  @Column({ name: 'held_after_micros', type: 'bigint', transformer: bigintTransformer })
  heldAfterMicros: bigint;

  @Column({ name: 'call_id', type: 'uuid', nullable: true })
  callId: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** Hash of the request that created it (top-ups: the same key with another body is a conflict). */
  @Column({ name: 'request_hash', type: 'varchar', length: 64, nullable: true })
  requestHash: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  /** Millisecond precision for exact keyset cursors. */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
