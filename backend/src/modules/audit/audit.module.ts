import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditLogService } from './audit-log.service';

/** The api side of the audit log: `GET /api/audit` (docs/audit-and-api-keys.md). */
@Module({ controllers: [AuditController], providers: [AuditLogService] })
export class AuditModule {}
