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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
    return toView(
      await repository.save({
        organizationId: caller.organizationId,
        number: number.e164,
        label: body.label,
      }),
    );
  }

  @Delete(':id')
  @Roles('owner', 'admin')
  @HttpCode(204)
  async remove(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<void> {
    const result = await this.dataSource
      .getRepository(CallerId)
      .delete({ id, organizationId: caller.organizationId });
    if (!result.affected) throw new NotFoundException(`Caller ID ${id} not found`);
  }
}
