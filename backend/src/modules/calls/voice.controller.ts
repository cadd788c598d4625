import { Controller, ForbiddenException, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequestWithRawBody } from '../../common/body-parsers';
import { AuthUser } from '../auth/auth-user';
import { toIncomingWebhook } from '../webhooks/incoming-webhook';
import { CurrentUser, Public } from '../auth/auth.decorators';
import { VoiceConfigView, VoiceTokenView } from './voice.dto';
import { ForbiddenTwilioRequest, VoiceService } from './voice.service';

@ApiTags('voice')
@Controller()
export class VoiceController {
  constructor(private readonly voice: VoiceService) {}

  @Get('voice/config')
  @ApiBearerAuth()
  @ApiOkResponse({
    type: VoiceConfigView,
    description: 'Whether browser calling (Twilio) is configured, and the enabled providers',
  })
  config(@CurrentUser() caller: AuthUser): VoiceConfigView {
    return this.voice.voiceConfig(caller);
  }

  @Post('voice/token')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOkResponse({ type: VoiceTokenView, description: 'A Twilio Voice SDK access token' })
  token(@CurrentUser() caller: AuthUser): VoiceTokenView {
    return this.voice.token(caller);
  }

  @Public()
  @Post('webhooks/twilio/voice')
  @HttpCode(200)
  async twilioVoice(@Req() request: RequestWithRawBody, @Res() reply: FastifyReply) {
    try {
      const twiml = await this.voice.answerVoiceRequest(toIncomingWebhook(request).incoming);
      return reply.type('text/xml').send(twiml);
    } catch (error) {
      if (error instanceof ForbiddenTwilioRequest)
        throw new ForbiddenException('Webhook signature or token is not valid');
      throw error;
    }
  }
}
