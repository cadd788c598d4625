import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequestWithRawBody } from '../../common/body-parsers';
import { Public } from '../auth/auth.decorators';
import { toIncomingWebhook } from '../webhooks/incoming-webhook';
import { PaymentsService } from './payments.service';

/** Payment providers' webhooks: public, verified by signature, stored and processed like call webhooks. */
@ApiTags('webhooks')
@Public()
@Controller('webhooks/payments')
export class PaymentWebhooksController {
  constructor(private readonly payments: PaymentsService) {}

  @Post('stripe')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Stored (or a duplicate); processed asynchronously' })
  stripe(@Req() request: RequestWithRawBody) {
    return this.payments.receiveWebhook('stripe', toIncomingWebhook(request).incoming);
  }

  @Post('simulator')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Stored (or a duplicate); processed asynchronously' })
  simulator(@Req() request: RequestWithRawBody) {
    return this.payments.receiveWebhook('payment_simulator', toIncomingWebhook(request).incoming);
  }
}
