import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** AuditService for every module of both processes (it only writes in the caller's transaction). */
@Global()
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditCoreModule {}
