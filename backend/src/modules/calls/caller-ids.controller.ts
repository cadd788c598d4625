import {
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Post,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { OrganizationPhones } from '../auth/organization-phones';
import { CallerId } from './entities/caller-id.entity';
import { IdParam } from '../../common/errors';
import { AuditService } from '../audit/audit.service';

export class CreateCallerIdDto {
  @ApiProperty({ example: '+14155550142' })
  @IsString()
  @MaxLength(40)
  number: string;

  @ApiProperty({ example: 'San Francisco office' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1, { message: 'label must not be empty' })
  @MaxLength(100)
  label: string;
}

export class CallerIdView {
  @ApiProperty() id: string;
  @ApiProperty() number: string;
  @ApiProperty() label: string;
}

const toView = (callerId: CallerId): CallerIdView => ({
  id: callerId.id,
  number: callerId.number,
  label: callerId.label,
});

/** The numbers an organization's agents may show when they call (verified with the provider by an admin). */
@ApiTags('caller-ids')
@ApiBearerAuth()
@Controller('caller-ids')
export class CallerIdsController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ApiOkResponse({ type: [CallerIdView] })
  async list(@CurrentUser() caller: AuthUser): Promise<{ items: CallerIdView[] }> {
    const rows = await this.dataSource
      .getRepository(CallerId)
      .find({ where: { organizationId: caller.organizationId }, order: { label: 'ASC' } });
    return { items: rows.map(toView) };
  }

  @Post()
  @Roles('owner', 'admin')
  @ApiCreatedResponse({ type: CallerIdView })
  async create(
    @CurrentUser() caller: AuthUser,
    @Body() body: CreateCallerIdDto,
  ): Promise<CallerIdView> {
    const number = (
      await OrganizationPhones.of(this.dataSource.manager, caller.organizationId)
    ).require(body.number, 'number', '+14155550142');
    const repository = this.dataSource.getRepository(CallerId);
    if (await repository.existsBy({ organizationId: caller.organizationId, number: number.e164 })) {
      throw new ConflictException(`${number.e164} is already a caller ID`);
    }
    return this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(CallerId, {
        organizationId: caller.organizationId,
        number: number.e164,
        label: body.label,
      });
      const view = toView(saved);
      await this.audit.record(manager, {
        actor: caller,
        organizationId: caller.organizationId,
        action: 'caller_id.added',
        target: { type: 'caller_id', id: saved.id },
        after: { number: view.number, label: view.label },
      });
      return view;
    });
  }

  @Delete(':id')
  @Roles('owner', 'admin')
  @HttpCode(204)
  async remove(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const rows: { number: string; label: string }[] = await manager.query(
        `DELETE FROM caller_ids WHERE id = $1 AND organization_id = $2 RETURNING number, label`,
        [id, caller.organizationId],
      );
      const removed = Array.isArray(rows[0]) ? (rows[0] as typeof rows) : rows;
      if (!removed.length) throw new NotFoundException(`Caller ID ${id} not found`);
      await this.audit.record(manager, {
        actor: caller,
        organizationId: caller.organizationId,
        action: 'caller_id.removed',
        target: { type: 'caller_id', id },
        before: { number: removed[0].number, label: removed[0].label },
      });
    });
  }
}
