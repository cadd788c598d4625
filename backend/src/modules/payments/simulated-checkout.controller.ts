import { BadGatewayException, Controller, Get, Header, HttpCode, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { IdParam } from '../../common/errors';
import { formatMicros } from '../../common/money';
import { AppConfig } from '../../config/app-config';
import { Public } from '../auth/auth.decorators';
import { PaymentsService } from './payments.service';
import { SimulatedPaymentProvider } from './simulated-payment.provider';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The simulated payment provider's checkout page, served by Switchboard: Pay (or Decline) sends
 * the provider's signed webhook to /api/webhooks/payments/simulator over HTTP, like a real
 * provider would, then returns the payer to the console's Wallet page.
 */
@ApiExcludeController()
@Public()
@Controller('payments/simulator/checkout')
export class SimulatedCheckoutController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly simulator: SimulatedPaymentProvider,
    private readonly config: AppConfig,
  ) {}

  @Get(':id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async page(@IdParam() id: string): Promise<string> {
    const payment = await this.payments.pendingSimulated(id);
    const amount = `${formatMicros(payment.amountMicros)} ${payment.currency}`;
    const action = (verb: string) => `/api/payments/simulator/checkout/${payment.id}/${verb}`;
    const body =
      payment.status === 'pending'
        ? `<p class="amount">${escape(amount)}</p>
  <p>Simulated payment provider: no card, no money. Pay sends its signed webhook to Switchboard.</p>
  <form method="post" action="${action('pay')}"><button type="submit" id="pay">Pay ${escape(amount)}</button></form>
  <form method="post" action="${action('decline')}"><button type="submit" id="decline" class="secondary">Decline</button></form>`
        : `<p class="amount">${escape(amount)}</p><p id="state">This payment is ${escape(payment.status)}.</p>
  <p><a href="/wallet">Back to the wallet</a></p>`;
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Checkout · Switchboard simulated payments</title>
<style>
body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;display:flex;justify-content:center;padding:48px 16px}
main{background:#fff;border-radius:12px;box-shadow:0 1px 4px #0002;padding:32px;max-width:420px;width:100%}
h1{font-size:20px;margin:0 0 8px}.amount{font-size:32px;font-weight:600;margin:16px 0}
p{color:#444;line-height:1.4}button{width:100%;padding:12px;margin-top:12px;font-size:16px;border-radius:8px;border:0;background:#3f51b5;color:#fff;cursor:pointer}
button.secondary{background:#e0e0e0;color:#222}
</style></head>
<body><main><h1>Add funds to your Switchboard wallet</h1>
  ${body}
</main></body></html>`;
  }

  @Post(':id/pay')
  @HttpCode(303)
  pay(@IdParam() id: string, @Res() reply: FastifyReply) {
    return this.complete(id, 'payment.succeeded', reply);
  }

  @Post(':id/decline')
  @HttpCode(303)
  decline(@IdParam() id: string, @Res() reply: FastifyReply) {
    return this.complete(id, 'payment.failed', reply);
  }

  private async complete(
    id: string,
    type: 'payment.succeeded' | 'payment.failed',
    reply: FastifyReply,
  ) {
    const payment = await this.payments.pendingSimulated(id);
    if (payment.status === 'pending') {
      const { body, headers } = this.simulator.signedWebhook({
        id: `evt_${randomUUID().replaceAll('-', '')}`,
        type,
        data: {
          paymentId: payment.id,
          amountMicros: payment.amountMicros.toString(),
          currency: payment.currency,
        },
      });
      const url = new URL('/api/webhooks/payments/simulator', this.config.PUBLIC_BASE_URL);
      const response = await fetch(url, { method: 'POST', headers, body }).catch(
        (error: Error) => ({ ok: false, status: error.message }) as const,
      );
      if (!response.ok)
        throw new BadGatewayException(
          `The simulated provider's webhook to ${url.toString()} failed (${response.status}); is PUBLIC_BASE_URL this api's address?`,
        );
    }
    return reply.code(303).header('Location', `/wallet?payment=${payment.id}`).send();
  }
}
