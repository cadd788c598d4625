import { Body, Controller, Get, Headers, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ListPaymentsQuery, PaymentList, PaymentView, StartTopUpDto } from './payments.dto';
import { PaymentsService } from './payments.service';

/** Top-ups as payments, under the wallet's routes. */
@ApiTags('wallet')
@ApiBearerAuth()
@Controller('wallet')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  /**
   * Starts a payment: `{ paymentId, status: 'pending', checkoutUrl }`. The wallet is credited only
   * when the payment provider confirms it (its signed webhook), exactly once.
   */
  @Post('topups')
  @HttpCode(201)
  @Roles('owner', 'admin')
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'One per intended top-up' })
  @ApiCreatedResponse({ type: PaymentView })
  topUp(
    @CurrentUser() caller: AuthUser,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: StartTopUpDto,
  ): Promise<PaymentView> {
    return this.payments.start(caller, idempotencyKey, body);
  }

  /** Payments in progress and receipts, newest first. */
  @Get('payments')
  @Roles('owner', 'admin')
  @ApiOkResponse({ type: PaymentList })
  list(@CurrentUser() caller: AuthUser, @Query() query: ListPaymentsQuery): Promise<PaymentList> {
    return this.payments.list(caller, query);
  }
}
