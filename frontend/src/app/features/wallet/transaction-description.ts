import { Transaction, TransactionKind } from '../../core/wallet/wallet';

const DEFAULTS: Readonly<Record<TransactionKind, string>> = {
  topup: 'Top-up',
  hold: 'Reserved when the call started',
  capture: 'Call cost taken from its reservation',
  release: 'Unused reservation returned',
  call_charge: 'Call cost beyond its reservation',
  refund: 'Refund',
  adjustment: 'Manual adjustment',
};

/** The sentence a transaction row shows: the note or reason someone gave, else what the kind means. */
export function describeTransaction(transaction: Pick<Transaction, 'kind' | 'reason'>): string {
  const reason = transaction.reason?.trim();
  return reason || DEFAULTS[transaction.kind] || transaction.kind;
}

/** Kinds that add to (credit), take from (debit) or only reserve/unreserve the wallet's money. */
export function kindTone(kind: TransactionKind): 'credit' | 'debit' | 'hold' | 'neutral' {
  switch (kind) {
    case 'topup':
    case 'refund':
      return 'credit';
    case 'capture':
    case 'call_charge':
      return 'debit';
    case 'hold':
    case 'release':
      return 'hold';
    default:
      return 'neutral';
  }
}
