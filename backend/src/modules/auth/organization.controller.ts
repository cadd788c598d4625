import { Body, Controller, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AuthUser } from './auth-user';
import { CurrentUser, Roles } from './auth.decorators';
import { Organization } from './entities/organization.entity';
import { UpdateOrganizationDto } from './organization.dto';
import { OrganizationSummary, toOrganizationSummary } from './user-view';

/** The organization's own settings; its owner changes them. */
@ApiTags('organization')
@ApiBearerAuth()
@Controller('organization')
export class OrganizationController {
  constructor(
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
  ) {}

  @Patch()
  @Roles('owner')
  @ApiOkResponse({ type: OrganizationSummary })
  async update(
    @CurrentUser() caller: AuthUser,
    @Body() body: UpdateOrganizationDto,
  ): Promise<OrganizationSummary> {
    await this.organizations.update(
      body.onlyIfUnset
        ? { id: caller.organizationId, timeZone: IsNull() }
        : { id: caller.organizationId },
      { timeZone: body.timeZone },
    );
    return toOrganizationSummary(
      await this.organizations.findOneByOrFail({ id: caller.organizationId }),
    );
  }
}
