import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../../common/errors';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import {
  CreateWebhookEndpointDto,
  ListDeliveriesQuery,
  UpdateWebhookEndpointDto,
  WebhookDeliveryList,
  WebhookDeliveryView,
  WebhookEndpointList,
  WebhookEndpointView,
} from './webhook-endpoints.dto';
import { WebhookEndpointsService } from './webhook-endpoints.service';

/** `@DeliveryIdParam()`: the route's `:deliveryId`, which must be a UUID (400 otherwise). */
function DeliveryIdParam(): ParameterDecorator {
  return Param(
    'deliveryId',
    new ParseUUIDPipe({
      exceptionFactory: () => new BadRequestException('deliveryId must be a UUID'),
    }),
  );
}

/** Outbound webhooks: the organization's endpoints, their secrets and deliveries (admins). */
@ApiTags('webhook-endpoints')
@ApiBearerAuth()
@Roles('owner', 'admin')
@Controller('webhook-endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Get()
  @ApiOkResponse({ type: WebhookEndpointList })
  list(@CurrentUser() caller: AuthUser): Promise<WebhookEndpointList> {
    return this.endpoints.list(caller);
  }

  @Post()
  @ApiCreatedResponse({ type: WebhookEndpointView })
  create(
    @CurrentUser() caller: AuthUser,
    @Body() body: CreateWebhookEndpointDto,
  ): Promise<WebhookEndpointView> {
    return this.endpoints.create(caller, body);
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookEndpointView })
  get(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<WebhookEndpointView> {
    return this.endpoints.get(caller, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: WebhookEndpointView })
  update(
    @CurrentUser() caller: AuthUser,
    @IdParam() id: string,
    @Body() body: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointView> {
    return this.endpoints.update(caller, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<void> {
    await this.endpoints.remove(caller, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOkResponse({
    type: WebhookEndpointView,
    description: 'A new secret; the previous one also signs every delivery for 24 hours',
  })
  rotate(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<WebhookEndpointView> {
    return this.endpoints.rotateSecret(caller, id);
  }

  @Get(':id/deliveries')
  @ApiOkResponse({ type: WebhookDeliveryList, description: 'Newest first' })
  deliveries(
    @CurrentUser() caller: AuthUser,
    @IdParam() id: string,
    @Query() query: ListDeliveriesQuery,
  ): Promise<WebhookDeliveryList> {
    return this.endpoints.deliveries(caller, id, query);
  }

  @Post(':id/deliveries/:deliveryId/resend')
  @HttpCode(202)
  @ApiOkResponse({ type: WebhookDeliveryView })
  resend(
    @CurrentUser() caller: AuthUser,
    @IdParam() id: string,
    @DeliveryIdParam() deliveryId: string,
  ): Promise<WebhookDeliveryView> {
    return this.endpoints.resend(caller, id, deliveryId);
  }
}
