import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IdParam } from '../../common/errors';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import {
  AudiencePreview,
  PreviewAudienceDto,
  CampaignContactList,
  CampaignList,
  CampaignStats,
  CampaignView,
  CreateCampaignDto,
  ListCampaignContactsQuery,
  ListCampaignsQuery,
} from './campaigns.dto';
import { CampaignsService } from './campaigns.service';

@ApiTags('campaigns')
@ApiBearerAuth()
@Roles('owner', 'admin')
@Controller('campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @ApiCreatedResponse({ type: CampaignView, description: 'A draft; nothing is dialed until start' })
  create(@CurrentUser() caller: AuthUser, @Body() body: CreateCampaignDto): Promise<CampaignView> {
    return this.campaigns.create(caller, body);
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOkResponse({
    type: AudiencePreview,
    description: 'What a campaign over this audience would meet now (nothing stored)',
  })
  preview(
    @CurrentUser() caller: AuthUser,
    @Body() body: PreviewAudienceDto,
  ): Promise<AudiencePreview> {
    return this.campaigns.preview(caller, body);
  }

  @Get()
  @ApiOkResponse({ type: CampaignList, description: 'Newest first' })
  list(@CurrentUser() caller: AuthUser, @Query() query: ListCampaignsQuery): Promise<CampaignList> {
    return this.campaigns.list(caller, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: CampaignView })
  get(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<CampaignView> {
    return this.campaigns.get(caller, id);
  }

  @Get(':id/stats')
  @ApiOkResponse({
    type: CampaignStats,
    description:
      'Live attempts, answer rate, outcomes over time and the estimated remaining cost (docs/campaigns.md)',
  })
  stats(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<CampaignStats> {
    return this.campaigns.stats(caller, id);
  }

  @Post(':id/start')
  @ApiCreatedResponse({ type: CampaignView, description: 'Snapshots the audience and runs' })
  @ApiConflictResponse({ description: 'Not a draft' })
  start(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<CampaignView> {
    return this.campaigns.start(caller, id);
  }

  @Post(':id/pause')
  @ApiCreatedResponse({ type: CampaignView, description: 'No new placements; live calls end' })
  pause(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<CampaignView> {
    return this.campaigns.pause(caller, id);
  }

  @Post(':id/resume')
  @ApiCreatedResponse({ type: CampaignView })
  resume(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<CampaignView> {
    return this.campaigns.resume(caller, id);
  }

  @Post(':id/cancel')
  @ApiCreatedResponse({ type: CampaignView, description: 'Contacts not dialed yet are skipped' })
  cancel(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<CampaignView> {
    return this.campaigns.cancel(caller, id);
  }

  @Get(':id/contacts')
  @ApiOkResponse({ type: CampaignContactList, description: 'In snapshot order' })
  contacts(
    @CurrentUser() caller: AuthUser,
    @IdParam() id: string,
    @Query() query: ListCampaignContactsQuery,
  ): Promise<CampaignContactList> {
    return this.campaigns.contactsPage(caller, id, query);
  }

  @Get(':id/contacts.csv')
  @ApiProduces('text/csv')
  async contactsCsv(
    @CurrentUser() caller: AuthUser,
    @IdParam() id: string,
    @Res() reply: FastifyReply,
  ) {
    const stream = await this.campaigns.contactsCsv(caller, id);
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="campaign-${id}-contacts.csv"`)
      .send(stream);
  }
}
