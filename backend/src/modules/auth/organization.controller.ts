import { Body, Controller, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AuthUser } from './auth-user';
import { CurrentUser, Roles } from './auth.decorators';
import { Organization } from './entities/organization.entity';
import { UpdateOrganizationDto } from './organization.dto';
import { OrganizationSummary, toOrganizationSummary } from './user-view';
import { AuditService } from '../audit/audit.service';

/** The organization's own settings; its owner changes them. */
@ApiTags('organization')
@ApiBearerAuth()
@Controller('organization')
export class OrganizationController {
  constructor(
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
    private readonly audit: AuditService,
  ) {}

  @Patch()
  @Roles('owner')
  @ApiOkResponse({ type: OrganizationSummary })
  async update(
    @CurrentUser() caller: AuthUser,
    @Body() body: UpdateOrganizationDto,
  ): Promise<OrganizationSummary> {
    return this.organizations.manager.transaction(async (manager) => {
      const before = await manager.findOneOrFail(Organization, {
        where: { id: caller.organizationId },
        lock: { mode: 'pessimistic_write' },
      });
      await manager.update(
        Organization,
        body.onlyIfUnset
          ? { id: caller.organizationId, timeZone: IsNull() }
          : { id: caller.organizationId },
        { timeZone: body.timeZone },
      );
      const after = await manager.findOneByOrFail(Organization, { id: caller.organizationId });
      if (after.timeZone !== before.timeZone)
        await this.audit.record(manager, {
          actor: caller,
          organizationId: caller.organizationId,
          action: 'organization.settings_changed',
          target: { type: 'organization', id: caller.organizationId },
          before: { timeZone: before.timeZone },
          after: { timeZone: after.timeZone },
        });
      return toOrganizationSummary(after);
    });
  }
}
