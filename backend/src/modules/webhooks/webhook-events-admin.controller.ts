import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import {
  ListWebhookEventsQuery,
  WebhookEventList,
  WebhookEventsAdminService,
  WebhookEventView,
} from './webhook-events-admin.service';
import { IdParam } from '../../common/errors';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('owner', 'admin')
@Controller('admin/webhook-events')
export class WebhookEventsAdminController {
  constructor(private readonly events: WebhookEventsAdminService) {}

  @Get()
  @ApiOkResponse({ type: WebhookEventList })
  list(
    @CurrentUser() caller: AuthUser,
    @Query() query: ListWebhookEventsQuery,
  ): Promise<WebhookEventList> {
    return this.events.list(caller, query);
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOkResponse({ type: WebhookEventView })
  replay(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<WebhookEventView> {
    return this.events.replay(caller, id);
  }
}
