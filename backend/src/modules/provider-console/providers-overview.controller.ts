import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ProvidersOverview } from './providers-overview.dto';
import { ProvidersOverviewService } from './providers-overview.service';

@ApiTags('providers')
@ApiBearerAuth()
@Roles('owner', 'admin')
@Controller('providers')
export class ProvidersOverviewController {
  constructor(private readonly overview: ProvidersOverviewService) {}

  /** Configured providers, their webhook URLs (secrets masked) and the last 24 h of their webhooks. */
  @Get()
  @ApiOkResponse({ type: ProvidersOverview })
  get(@CurrentUser() caller: AuthUser): Promise<ProvidersOverview> {
    return this.overview.overview(caller.organizationId);
  }
}
