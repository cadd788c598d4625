import { ApiSchema, ApiView, Page, Refine } from '../api/api-schema';

/** The wallet shapes returned by `/api/wallet` (money as integer micros in decimal strings). */
export type Wallet = Refine<
  ApiView<'WalletView'>,
  { formatted: { balance: string; held: string; available: string; lowBalanceThreshold: string } }
>;

/** The figures a `wallet:updated` push carries. */
export type WalletBalanceUpdate = Pick<Wallet, 'balanceMicros' | 'heldMicros' | 'availableMicros'>;

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

export type Transaction = Refine<
  ApiView<'TransactionView'>,
  { formatted: { balanceChange: string; availableChange: string; balanceAfter: string } }
>;

export type TransactionPage = Page<Transaction>;

export interface TransactionQuery {
  kind?: readonly TransactionKind[];
  /** At or after (ISO 8601). */
  from?: string;
  /** Before (ISO 8601). */
  to?: string;
}

/** A top-up to start: it becomes a payment, credited once the payment provider confirms it. */
export type TopUp = ApiSchema<'StartTopUpDto'>;

/** A payment (top-up) as `/api/wallet/payments` lists it: pending, succeeded, failed or expired. */
export type Payment = ApiView<'PaymentView'>;
