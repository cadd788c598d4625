import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from '../../../database/money.transformer';

/** One leg of a transaction: a signed amount on one account. */
@Entity({ name: 'ledger_entries' })
@Index('ledger_entries_transaction_idx', ['transactionId'])
@Index('ledger_entries_account_idx', ['accountId'])
export class LedgerEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ name: 'transaction_id', type: 'uuid' })
  transactionId: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @Column({ name: 'amount_micros', type: 'bigint', transformer: bigintTransformer })
  amountMicros: bigint;
}
