import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { PageQuery } from '../../common/page-query';
import { DELIVERY_STATUSES, DeliveryStatus } from './entities/webhook-delivery.entity';
import { OUTBOUND_EVENT_TYPES, OutboundEventType } from './outbound-events';

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

export class CreateWebhookEndpointDto {
  @ApiProperty({ example: 'https://example.com/switchboard/webhooks' })
  @Transform(trimmed)
  @IsString({ message: 'url must be a string' })
  @MaxLength(2000)
  url: string;

  @ApiPropertyOptional({ example: 'CRM sync' })
  @IsOptional()
  @Transform(trimmed)
  @IsString({ message: 'description must be a string' })
  @MaxLength(500)
  description?: string;

  @ApiProperty({ enum: OUTBOUND_EVENT_TYPES, isArray: true })
  @IsArray({ message: 'events must be a list of event types' })
  @ArrayMinSize(1, { message: 'events must name at least one event type' })
  @ArrayMaxSize(OUTBOUND_EVENT_TYPES.length)
  @ArrayUnique({ message: 'events must not repeat an event type' })
  @IsIn(OUTBOUND_EVENT_TYPES, {
    each: true,
    message: `each event must be one of: ${OUTBOUND_EVENT_TYPES.join(', ')}`,
  })
  events: OutboundEventType[];
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trimmed)
  @IsString({ message: 'url must be a string' })
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trimmed)
  @IsString({ message: 'description must be a string' })
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ enum: OUTBOUND_EVENT_TYPES, isArray: true })
  @IsOptional()
  @IsArray({ message: 'events must be a list of event types' })
  @ArrayMinSize(1, { message: 'events must name at least one event type' })
  @ArrayMaxSize(OUTBOUND_EVENT_TYPES.length)
  @ArrayUnique({ message: 'events must not repeat an event type' })
  @IsIn(OUTBOUND_EVENT_TYPES, {
    each: true,
    message: `each event must be one of: ${OUTBOUND_EVENT_TYPES.join(', ')}`,
  })
  events?: OutboundEventType[];

  @ApiPropertyOptional({
    description: 'false pauses deliveries; true re-enables a disabled endpoint',
  })
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;
}

export class WebhookEndpointView {
  @ApiProperty() id: string;
  @ApiProperty() url: string;
  @ApiProperty() description: string;
  @ApiProperty({ enum: OUTBOUND_EVENT_TYPES, isArray: true }) events: string[];
  @ApiProperty({ description: 'The signing secret (`whsec_…`); admins reveal it in the console' })
  secret: string;
  @ApiProperty({ description: 'The secret, masked' }) secretMasked: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Until then the previous secret still signs every delivery too',
  })
  previousSecretExpiresAt: string | null;
  @ApiProperty() enabled: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) disabledReason: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) disabledAt: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Deliveries have failed since then, without a success',
  })
  failingSince: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class WebhookEndpointList {
  @ApiProperty({ type: [WebhookEndpointView] }) items: WebhookEndpointView[];
  @ApiProperty({ enum: OUTBOUND_EVENT_TYPES, isArray: true, description: 'Every event type' })
  eventTypes: string[];
}

export class ListDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: `status must be one of: ${DELIVERY_STATUSES.join(', ')}` })
  status?: DeliveryStatus;
}

export class DeliveryAttemptView {
  @ApiProperty() attemptedAt: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) statusCode: number | null;
  @ApiProperty() latencyMs: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'First KB of the answer' })
  responseExcerpt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) error: string | null;
  @ApiProperty() succeeded: boolean;
}

export class WebhookDeliveryView {
  @ApiProperty() id: string;
  @ApiProperty() endpointId: string;
  @ApiProperty({ description: 'The webhook-id header' }) messageId: string;
  @ApiProperty({ enum: OUTBOUND_EVENT_TYPES }) eventType: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: DeliveryStatus;
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) lastStatusCode: number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ type: String, nullable: true }) lastAttemptAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) completedAt: string | null;
  @ApiProperty({ description: 'The JSON body sent' }) body: string;
  @ApiProperty({ type: [DeliveryAttemptView], description: 'Newest first (at most 20)' })
  attemptLog: DeliveryAttemptView[];
}

export class WebhookDeliveryList {
  @ApiProperty({ type: [WebhookDeliveryView] }) items: WebhookDeliveryView[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor: string | null;
}
