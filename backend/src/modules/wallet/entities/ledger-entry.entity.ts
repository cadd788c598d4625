import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from '../../../database/money.transformer';
import { LedgerAccount } from './ledger-account.entity';
import { LedgerTransaction } from './ledger-transaction.entity';

/** One leg of a transaction: a signed amount on one account. */
@Entity({ name: 'ledger_entries' })
@Index('ledger_entries_transaction_idx', ['transactionId'])
@Index('ledger_entries_account_idx', ['accountId'])
export class LedgerEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  // The ledger is append-only: neither a transaction nor an account with entries can go away.
  @ForeignKey(() => LedgerTransaction, {
    name: 'ledger_entries_transaction_fk',
    onDelete: 'RESTRICT',
  })
  @Column({ name: 'transaction_id', type: 'uuid' })
  transactionId: string;

  @ForeignKey(() => LedgerAccount, { name: 'ledger_entries_account_fk', onDelete: 'RESTRICT' })
  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @Column({ name: 'amount_micros', type: 'bigint', transformer: bigintTransformer })
  amountMicros: bigint;
}
