import { Body, Controller, Get, Header, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { CallControlService, CallControlView, CallQualityService } from './call-control.service';
import { CallPlacementService } from './call-placement.service';
import { CallList, CallView } from './call-view';
import { CallNoteDto, InitiateCallDto, ListCallsQuery, QualityWarningDto } from './calls.dto';
import { CallsService } from './calls.service';
import { IdParam } from '../../common/errors';

@ApiTags('calls')
@ApiBearerAuth()
@Controller('calls')
export class CallsController {
  constructor(
    private readonly calls: CallsService,
    private readonly placement: CallPlacementService,
    private readonly control: CallControlService,
    private readonly quality: CallQualityService,
  ) {}

  @Post()
  @ApiCreatedResponse({
    type: CallView,
    description: 'The call, placed with the provider; its status follows by webhook',
  })
  initiate(@CurrentUser() caller: AuthUser, @Body() body: InitiateCallDto): Promise<CallView> {
    return this.placement.initiate(caller, body);
  }

  @Get()
  @ApiOkResponse({ type: CallList })
  list(@CurrentUser() caller: AuthUser, @Query() query: ListCallsQuery): Promise<CallList> {
    return this.calls.list(caller, query);
  }

  @Get('export.csv')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  async export(
    @CurrentUser() caller: AuthUser,
    @Query() query: ListCallsQuery,
    @Res() reply: FastifyReply,
  ) {
    const stream = await this.calls.exportCsv(caller, query);
    const stamp = new Date().toISOString().slice(0, 10);
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="calls-${stamp}.csv"`)
      .send(stream);
  }

  @Patch(':id')
  @ApiOkResponse({ type: CallView, description: 'Saves the note and disposition of a call' })
  annotate(
    @CurrentUser() caller: AuthUser,
    @IdParam() id: string,
    @Body() body: CallNoteDto,
  ): Promise<CallView> {
    return this.calls.annotate(caller, id, body);
  }

  @Post(':id/hangup')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: CallView,
    description: 'The provider was asked to end the call; its status follows by webhook',
  })
  @ApiConflictResponse({
    description: 'The call has ended, or its provider has no documented way to end it (named)',
  })
  hangUp(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<CallView> {
    return this.control.hangUp(caller, id);
  }

  @Post(':id/quality-warnings')
  @HttpCode(204)
  @ApiNoContentResponse({
    description:
      'Stores a call-quality warning the agent’s browser raised or cleared (a timeline entry)',
  })
  recordQualityWarning(
    @CurrentUser() caller: AuthUser,
    @IdParam() id: string,
    @Body() body: QualityWarningDto,
  ): Promise<void> {
    return this.quality.record(caller, id, body);
  }

  @Get(':id')
  @ApiOkResponse({ type: CallControlView })
  get(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<CallControlView> {
    return this.control.detail(caller, id);
  }
}
