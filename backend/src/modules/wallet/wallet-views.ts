import { formatMicros } from '../../common/money';
import { TransactionView, WalletView } from './wallet.dto';
import { LedgerTransaction } from './entities/ledger-transaction.entity';
import { Wallet } from './entities/wallet.entity';

export function toWalletView(wallet: Wallet): WalletView {
  const available = wallet.balanceMicros - wallet.heldMicros;
  return {
    currency: wallet.currency,
    balanceMicros: wallet.balanceMicros.toString(),
    heldMicros: wallet.heldMicros.toString(),
    availableMicros: available.toString(),
    lowBalanceThresholdMicros: wallet.lowBalanceThresholdMicros.toString(),
    lowBalance: available < wallet.lowBalanceThresholdMicros,
    formatted: {
      balance: formatMicros(wallet.balanceMicros),
      held: formatMicros(wallet.heldMicros),
      available: formatMicros(available),
      lowBalanceThreshold: formatMicros(wallet.lowBalanceThresholdMicros),
    },
  };
}

export function toTransactionView(transaction: LedgerTransaction): TransactionView {
  const availableChange = transaction.balanceChangeMicros - transaction.heldChangeMicros;
  const availableAfter = transaction.balanceAfterMicros - transaction.heldAfterMicros;
  return {
    id: transaction.id,
    kind: transaction.kind,
    balanceChangeMicros: transaction.balanceChangeMicros.toString(),
    heldChangeMicros: transaction.heldChangeMicros.toString(),
    availableChangeMicros: availableChange.toString(),
    balanceAfterMicros: transaction.balanceAfterMicros.toString(),
    availableAfterMicros: availableAfter.toString(),
    callId: transaction.callId,
    reason: transaction.reason,
    createdBy: transaction.createdBy,
    createdAt: transaction.createdAt.toISOString(),
    formatted: {
      balanceChange: formatMicros(transaction.balanceChangeMicros),
      availableChange: formatMicros(availableChange),
      balanceAfter: formatMicros(transaction.balanceAfterMicros),
    },
  };
}
