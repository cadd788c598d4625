import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequestWithRawBody } from '../../common/body-parsers';
import { Public } from '../auth/auth.decorators';
import { ProviderName } from '../providers/provider-adapter';
import { toIncomingWebhook } from './incoming-webhook';
import { IngressResult, WebhookIngressService } from './webhook-ingress.service';

/** Provider status webhooks. Public (providers have no token), verified by signature or secret instead. */
@ApiTags('webhooks')
@Public()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly ingress: WebhookIngressService) {}

  private receive(provider: ProviderName, request: RequestWithRawBody): Promise<IngressResult> {
    const { incoming, unparseable } = toIncomingWebhook(request);
    return this.ingress.receive(provider, incoming, unparseable);
  }

  @Post('twilio/status')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Stored (or a duplicate); processed asynchronously' })
  twilioStatus(@Req() request: RequestWithRawBody) {
    return this.receive('twilio', request);
  }

  /** `<Dial record>`'s recordingStatusCallback: signed like the status callback. */
  @Post('twilio/recording')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Stored (or a duplicate); processed asynchronously' })
  twilioRecording(@Req() request: RequestWithRawBody) {
    return this.receive('twilio', request);
  }

  @Post('exotel/status')
  @HttpCode(200)
  exotelStatus(@Req() request: RequestWithRawBody) {
    return this.receive('exotel', request);
  }

  @Post('bolna')
  @HttpCode(200)
  bolna(@Req() request: RequestWithRawBody) {
    return this.receive('bolna', request);
  }

  @Post('simulator')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  simulator(@Req() request: RequestWithRawBody) {
    return this.receive('simulator', request);
  }
}
