import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintTransformer } from '../../../database/money.transformer';

/**
 * An organization's prepaid wallet: cached sums of its ledger accounts, updated in the same
 * transaction as the entries. balance = wallet + holds accounts; held = holds account.
 */
@Entity({ name: 'wallets' })
@Check('wallets_available_not_negative', '"balance_micros" - "held_micros" >= 0')
@Check('wallets_held_not_negative', '"held_micros" >= 0')
export class Wallet {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'wallet_account_id', type: 'uuid' })
  walletAccountId: string;

  @Column({ name: 'holds_account_id', type: 'uuid' })
  holdsAccountId: string;

  @Column({ name: 'balance_micros', type: 'bigint', default: 0, transformer: bigintTransformer })
  balanceMicros: bigint;

  @Column({ name: 'held_micros', type: 'bigint', default: 0, transformer: bigintTransformer })
  heldMicros: bigint;

  @Column({
    name: 'low_balance_threshold_micros',
    type: 'bigint',
    default: 5_000_000,
    transformer: bigintTransformer,
  })
  lowBalanceThresholdMicros: bigint;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
