import {
  Controller,
  Get,
  Headers,
  NotFoundException,
  Param,
  Query,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IdParam } from '../../common/errors';
import { isUuid } from '../../database/raw-rows';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Public } from '../auth/auth.decorators';
import { RecordingResponse, RecordingsService } from './recordings.service';
import { RecordingUrls } from './recording-urls';

function send(reply: FastifyReply, response: RecordingResponse) {
  reply.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) reply.header(name, value);
  return reply.send(response.body ?? '');
}

/**
 * A call's recording, streamed from Switchboard's own copy with range requests (206): with the
 * bearer token (agents: their own calls; admins: the organization's), or through the short-lived
 * signed URL the call's detail hands out (for an `<audio src>`). Never the provider's URL.
 */
@ApiTags('calls')
@Controller()
export class RecordingsController {
  constructor(
    private readonly recordings: RecordingsService,
    private readonly urls: RecordingUrls,
  ) {}

  @Get('calls/:id/recording')
  @ApiBearerAuth()
  @ApiProduces('audio/mpeg', 'audio/wav')
  async get(
    @CurrentUser() caller: AuthUser,
    @IdParam() id: string,
    @Headers('range') range: string | undefined,
    @Query('download') download: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    return send(reply, await this.recordings.forCaller(caller, id, range, download === '1'));
  }

  @Public()
  @Get('recordings/:id')
  @ApiProduces('audio/mpeg', 'audio/wav')
  async signed(
    @Param('id') id: string,
    @Query('expires') expires: string | undefined,
    @Query('signature') signature: string | undefined,
    @Headers('range') range: string | undefined,
    @Query('download') download: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    if (!isUuid(id)) throw new NotFoundException(`No recording ${id}`);
    const refusal = this.urls.refusal(id, expires, signature);
    if (refusal) throw new UnauthorizedException(`Recording link refused: ${refusal}`);
    return send(reply, await this.recordings.stream(id, range, download === '1'));
  }
}
