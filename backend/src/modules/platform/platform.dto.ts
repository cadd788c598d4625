import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PricePlanSummary } from '../billing/rates.dto';
import { SetupLink } from '../auth/setup-link.dto';
import { TransactionView } from '../wallet/wallet.dto';

const POSITIVE_MICROS = /^[1-9]\d{0,12}$/;

export class FirstOwnerDto {
  @ApiProperty({ example: 'owner@acme.example' })
  @IsEmail({}, { message: 'owner.email must be an email address' })
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'Olivia Owner' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({
    description:
      'At least 12 characters. Usually left out: the owner then chooses it with a one-time setup link (ownerSetup in the answer)',
  })
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'owner.password must have at least 12 characters' })
  @MaxLength(200)
  password?: string;
}

export class CreateOrganizationDto {
  @ApiProperty({ example: 'Acme Corp' })
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({
    example: 'US',
    description: 'ISO 3166 alpha-2 country for national numbers',
  })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'defaultCountry must be a two-letter country code, e.g. US' })
  defaultCountry?: string;

  @ApiPropertyOptional({ description: 'Price plan id; the default plan when absent' })
  @IsOptional()
  @IsUUID('all', { message: 'pricePlanId must be a price plan id (UUID)' })
  pricePlanId?: string;

  @ApiProperty({ type: FirstOwnerDto })
  @ValidateNested()
  @Type(() => FirstOwnerDto)
  owner: FirstOwnerDto;
}

export class UpdatePlatformOrganizationDto {
  @ApiPropertyOptional({ description: 'true suspends (no sign-in, no calls), false reinstates' })
  @IsOptional()
  @IsBoolean({ message: 'suspended must be true or false' })
  suspended?: boolean;

  @ApiPropertyOptional({ example: 'Unpaid invoice #42' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  suspensionReason?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'null: the default plan' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsUUID('all', { message: 'pricePlanId must be a price plan id (UUID) or null' })
  pricePlanId?: string | null;
}

export class CreditDto {
  @ApiProperty({ example: '50000000', description: 'Micro-units as a string of digits' })
  @IsString({ message: 'amountMicros must be a string of digits, e.g. "50000000" for 50.00' })
  @Matches(POSITIVE_MICROS, {
    message: 'amountMicros must be a positive whole number of micro-units, e.g. "50000000"',
  })
  amountMicros: string;

  @ApiProperty({ example: 'Bank transfer ref. 2026-118' })
  @IsString()
  @MinLength(3, { message: 'reason must say why (at least 3 characters)' })
  @MaxLength(300)
  reason: string;
}

export class CallRefundDto {
  @ApiPropertyOptional({
    example: '9100',
    description: 'At most what the call was charged; the whole charge when absent',
  })
  @IsOptional()
  @IsString()
  @Matches(POSITIVE_MICROS, {
    message: 'amountMicros must be a positive whole number of micro-units',
  })
  amountMicros?: string;

  @ApiPropertyOptional({
    description:
      'The organization the call must belong to (the console sends the one on screen): ' +
      "another organization's call is a 404 and nothing is refunded",
  })
  @IsOptional()
  @IsUUID('all', { message: 'organizationId must be an organization id (UUID)' })
  organizationId?: string;

  @ApiProperty({ example: 'Dropped call' })
  @IsString()
  @MinLength(3, { message: 'reason must say why (at least 3 characters)' })
  @MaxLength(300)
  reason: string;
}

export class CreatePricePlanDto {
  @ApiProperty({ example: 'Wholesale 2027' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiPropertyOptional({ description: "Start with a copy of this plan's rates" })
  @IsOptional()
  @IsUUID('all', { message: 'copyFrom must be a price plan id (UUID)' })
  copyFrom?: string;
}

export class PlatformWalletView {
  @ApiProperty() currency: string;
  @ApiProperty() balanceMicros: string;
  @ApiProperty() heldMicros: string;
  @ApiProperty() availableMicros: string;
  @ApiProperty({ description: 'Sum of the operator credits' }) creditsMicros: string;
  @ApiProperty({ description: 'Sum of paid top-ups' }) topUpsMicros: string;
  @ApiProperty({ type: String, nullable: true }) lastTopUpAt: string | null;
}

export class PlatformOrganizationView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() defaultCountry: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) suspendedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) suspensionReason: string | null;
  @ApiProperty({ type: PricePlanSummary }) pricePlan: PricePlanSummary;
  @ApiProperty() users: number;
  @ApiProperty({ type: PlatformWalletView }) wallet: PlatformWalletView;
}

export class CreatedOrganizationView extends PlatformOrganizationView {
  @ApiProperty({
    type: SetupLink,
    nullable: true,
    description:
      "The first owner's one-time setup link, shown once; null when a password was given",
  })
  ownerSetup: SetupLink | null;
}

export class PlatformOrganizationList {
  @ApiProperty({ type: [PlatformOrganizationView] }) items: PlatformOrganizationView[];
}

export class PricePlanView extends PricePlanSummary {
  @ApiProperty() rates: number;
  @ApiProperty() organizations: number;
  @ApiProperty() createdAt: string;
}

export class PricePlanList {
  @ApiProperty({ type: [PricePlanView] }) items: PricePlanView[];
}

export class PlatformMovementView {
  @ApiProperty() organizationId: string;
  @ApiProperty({ type: TransactionView }) transaction: TransactionView;
}

export const ORGANIZATION_STATES = ['active', 'suspended'] as const;
export class ListOrganizationsQuery {
  @ApiPropertyOptional({ enum: ORGANIZATION_STATES })
  @IsOptional()
  @IsIn(ORGANIZATION_STATES, { message: 'state must be active or suspended' })
  state?: (typeof ORGANIZATION_STATES)[number];
}
