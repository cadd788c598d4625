import { PageQuery } from '../../common/page-query';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import {
  LEDGER_TRANSACTION_KINDS,
  LedgerTransactionKind,
} from './entities/ledger-transaction.entity';

const MAX_AMOUNT_DIGITS = 13; // up to 9,999,999.999999 units in one movement

export class WalletSettingsDto {
  @ApiProperty({
    example: '5000000',
    description: 'Warn when available falls below this many micro-units',
  })
  @IsString()
  @Matches(new RegExp(`^\\d{1,${MAX_AMOUNT_DIGITS}}$`), {
    message: 'lowBalanceThresholdMicros must be a whole number of micro-units',
  })
  lowBalanceThresholdMicros: string;
}

export class ListTransactionsQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'One kind or a comma-separated list',
    enum: LEDGER_TRANSACTION_KINDS,
  })
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((kind) => kind.trim())
          .filter(Boolean)
      : value,
  )
  @IsIn(LEDGER_TRANSACTION_KINDS, {
    each: true,
    message: `kind must be among: ${LEDGER_TRANSACTION_KINDS.join(', ')}`,
  })
  kind?: LedgerTransactionKind[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({}, { message: 'from must be an ISO 8601 date or time' })
  from?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({}, { message: 'to must be an ISO 8601 date or time' })
  to?: string;
}

export class MoneyView {
  @ApiProperty({ description: 'micro-units' }) micros: string;
  @ApiProperty({ example: '12.50' }) formatted: string;
}

export class WalletView {
  @ApiProperty() currency: string;
  @ApiProperty() balanceMicros: string;
  @ApiProperty() heldMicros: string;
  @ApiProperty() availableMicros: string;
  @ApiProperty() lowBalanceThresholdMicros: string;
  @ApiProperty({ description: 'available is below the threshold' }) lowBalance: boolean;
  @ApiProperty({ description: 'The same amounts formatted in the currency unit' })
  formatted: { balance: string; held: string; available: string; lowBalanceThreshold: string };
}

export class TransactionView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: LEDGER_TRANSACTION_KINDS }) kind: LedgerTransactionKind;
  @ApiProperty() balanceChangeMicros: string;
  @ApiProperty() heldChangeMicros: string;
  @ApiProperty() availableChangeMicros: string;
  @ApiProperty() balanceAfterMicros: string;
  @ApiProperty() availableAfterMicros: string;
  @ApiPropertyOptional({ type: String, nullable: true }) callId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) reason: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) createdBy: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() formatted: {
    balanceChange: string;
    availableChange: string;
    balanceAfter: string;
  };
}

export class TransactionList {
  @ApiProperty({ type: [TransactionView] }) items: TransactionView[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor: string | null;
}
