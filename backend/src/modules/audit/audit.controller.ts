import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { AnyAudience, CurrentUser, Roles } from '../auth/auth.decorators';
import { AuditList, ListAuditQuery } from './audit.dto';
import { AuditLogService } from './audit-log.service';

/**
 * The audit log, newest first. Owners and admins read their organization's entries (operators'
 * changes to it included); platform operators read every entry. There is no route that changes one.
 */
@ApiTags('audit')
@ApiBearerAuth()
@AnyAudience()
@Roles('owner', 'admin', 'operator')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditLogService) {}

  @Get()
  @ApiOkResponse({ type: AuditList })
  list(@CurrentUser() caller: AuthUser, @Query() query: ListAuditQuery): Promise<AuditList> {
    return this.audit.list(caller, query);
  }
}
