import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { AddDncDto, DncList, DncView, ListDncQuery } from './dnc.dto';
import { DncService } from './dnc.service';

@ApiTags('do-not-call')
@ApiBearerAuth()
@Roles('owner', 'admin')
@Controller('dnc')
export class DncController {
  constructor(private readonly dnc: DncService) {}

  @Get()
  @ApiOkResponse({ type: DncList, description: 'Newest first' })
  list(@CurrentUser() caller: AuthUser, @Query() query: ListDncQuery): Promise<DncList> {
    return this.dnc.list(caller, query);
  }

  @Post()
  @ApiOkResponse({
    type: DncView,
    description: '201 when added; 200 with the existing entry when the number was already listed',
  })
  async add(
    @CurrentUser() caller: AuthUser,
    @Body() body: AddDncDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DncView> {
    const { view, created } = await this.dnc.create(caller, body);
    reply.status(created ? 201 : 200);
    return view;
  }

  @Delete(':phone')
  @HttpCode(204)
  @ApiParam({ name: 'phone', example: '+14155550100', description: 'E.164, `+` URL-encoded' })
  async remove(@CurrentUser() caller: AuthUser, @Param('phone') phone: string): Promise<void> {
    await this.dnc.remove(caller, phone);
  }
}
