import { Body, Controller, Delete, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../../common/errors';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiKeyList, ApiKeyView, CreateApiKeyDto, CreatedApiKeyView } from './api-keys.dto';
import { ApiKeysService } from './api-keys.service';

/** The organization's API keys (owners). `Authorization: Bearer <key>` then works like a token. */
@ApiTags('api-keys')
@ApiBearerAuth()
@Roles('owner')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiOkResponse({ type: ApiKeyList })
  list(@CurrentUser() caller: AuthUser): Promise<ApiKeyList> {
    return this.keys.list(caller);
  }

  /** The answer carries the key (`secret`) this once. */
  @Post()
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  create(
    @CurrentUser() caller: AuthUser,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyView> {
    return this.keys.create(caller, body);
  }

  /** Revokes the key (it stays listed): refused on the next request, on every api node. */
  @Delete(':id')
  @ApiOkResponse({ type: ApiKeyView })
  revoke(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<ApiKeyView> {
    return this.keys.revoke(caller, id);
  }
}
