import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, isAdminRole } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { DashboardMetrics, DashboardService } from './dashboard.service';

@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  /** The same numbers `metrics:updated` pushes: the organization's for admins, an agent's own calls for agents. */
  @Get('metrics')
  @ApiOkResponse({ type: DashboardMetrics })
  metrics(@CurrentUser() caller: AuthUser): Promise<DashboardMetrics> {
    return this.dashboard.metrics(
      caller.organizationId,
      isAdminRole(caller.role) ? undefined : caller.id,
    );
  }
}
