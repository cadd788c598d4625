/** The wallet shapes returned by `/api/wallet` (money as integer micros in decimal strings). */
export interface Wallet {
  currency: string;
  balanceMicros: string;
  /** Reserved for calls in progress. */
  heldMicros: string;
  /** balance − held: what new calls can spend. */
  availableMicros: string;
  lowBalanceThresholdMicros: string;
  /** available is below the threshold. */
  lowBalance: boolean;
  formatted: { balance: string; held: string; available: string; lowBalanceThreshold: string };
}

/** The figures a `wallet:updated` push carries. */
export interface WalletBalanceUpdate {
  balanceMicros: string;
  heldMicros: string;
  availableMicros: string;
}

export const TRANSACTION_KINDS = [
  'topup',
  'hold',
  'capture',
  'release',
  'call_charge',
  'refund',
  'adjustment',
] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

export const TRANSACTION_KIND_LABELS: Readonly<Record<TransactionKind, string>> = {
  topup: 'Top-up',
  hold: 'Hold',
  capture: 'Capture',
  release: 'Release',
  call_charge: 'Call charge',
  refund: 'Refund',
  adjustment: 'Adjustment',
};

export interface Transaction {
  id: string;
  kind: TransactionKind;
  balanceChangeMicros: string;
  heldChangeMicros: string;
  availableChangeMicros: string;
  balanceAfterMicros: string;
  availableAfterMicros: string;
  callId: string | null;
  reason: string | null;
  createdBy: string | null;
  createdAt: string;
  formatted: { balanceChange: string; availableChange: string; balanceAfter: string };
}

export interface TransactionPage {
  items: Transaction[];
  nextCursor: string | null;
}

export interface TransactionQuery {
  kind?: readonly TransactionKind[];
  /** At or after (ISO 8601). */
  from?: string;
  /** Before (ISO 8601). */
  to?: string;
}

export interface TopUp {
  /** Positive integer micros. */
  amountMicros: string;
  note?: string;
}
