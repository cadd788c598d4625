import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import {
  PAYMENT_PROVIDERS,
  PAYMENT_STATUSES,
  PaymentProviderName,
  PaymentStatus,
} from './entities/payment.entity';

export class StartTopUpDto {
  @ApiProperty({
    example: '50000000',
    description: 'Micro-units as a string of digits (50000000 = 50.00)',
  })
  @IsString({ message: 'amountMicros must be a string of digits, e.g. "50000000" for 50.00' })
  @Matches(/^[1-9]\d{0,12}$/, {
    message:
      'amountMicros must be a positive whole number of micro-units, e.g. "50000000" for 50.00',
  })
  amountMicros: string;
}

export class PaymentView {
  @ApiProperty() paymentId: string;
  @ApiProperty({ enum: PAYMENT_STATUSES }) status: PaymentStatus;
  @ApiProperty({ enum: PAYMENT_PROVIDERS }) provider: PaymentProviderName;
  @ApiProperty() amountMicros: string;
  @ApiProperty() currency: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Where the payer completes the payment (while pending)',
  })
  checkoutUrl: string | null;
  @ApiProperty({ type: String, nullable: true }) failureReason: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The top-up transaction, once succeeded',
  })
  transactionId: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) completedAt: string | null;
}

export class PaymentList {
  @ApiProperty({ type: [PaymentView] }) items: PaymentView[];
}

export class ListPaymentsQuery {
  @ApiPropertyOptional({ enum: PAYMENT_STATUSES })
  @IsOptional()
  @IsIn(PAYMENT_STATUSES, { message: `status must be one of: ${PAYMENT_STATUSES.join(', ')}` })
  status?: PaymentStatus;
}
