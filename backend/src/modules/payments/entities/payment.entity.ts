import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { bigintTransformer } from '../../../database/money.transformer';

export const PAYMENT_PROVIDERS = ['stripe', 'simulator'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

export const PAYMENT_STATUSES = ['pending', 'succeeded', 'failed', 'expired'] as const;
/** pending until the provider's signed webhook says how it ended; only succeeded credits the wallet. */
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** A top-up an organization started: credited once its payment provider confirms it. */
@Entity({ name: 'payments' })
@Index('payments_org_idempotency_key', ['organizationId', 'idempotencyKey'], { unique: true })
@Index('payments_provider_reference_key', ['provider', 'providerReference'], {
  unique: true,
  where: '"provider_reference" IS NOT NULL',
})
@Index('payments_org_created_idx', ['organizationId', 'createdAt', 'id'])
export class Payment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'enum', enum: PAYMENT_PROVIDERS, enumName: 'payment_provider' })
  provider: PaymentProviderName;

  @Column({
    type: 'enum',
    enum: PAYMENT_STATUSES,
    enumName: 'payment_status',
    default: 'pending',
  })
  status: PaymentStatus;

  @Column({ name: 'amount_micros', type: 'bigint', transformer: bigintTransformer })
  amountMicros: bigint;

  @Column({ type: 'char', length: 3, default: 'USD' })
  currency: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 200 })
  idempotencyKey: string;

  /** The provider's id of the checkout (Stripe: the Checkout Session id). */
  @Column({ name: 'provider_reference', type: 'varchar', length: 255, nullable: true })
  providerReference: string | null;

  @Column({ name: 'checkout_url', type: 'text', nullable: true })
  checkoutUrl: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  /** The top-up transaction, once succeeded. */
  @Column({ name: 'ledger_transaction_id', type: 'uuid', nullable: true })
  ledgerTransactionId: string | null;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
