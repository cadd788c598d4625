// @ts-check
// Outbound webhooks: an admin registers an endpoint pointing to a receiver this test starts,
// places a simulated call, and sees its events arrive (each verified per Standard Webhooks by
// the receiver) and in the Deliveries page; then the Providers page.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { TOKEN_KEY, settled, signIn } from './lib/console.mjs';

/**
 * The Standard Webhooks reference check (standardwebhooks.com spec): HMAC-SHA256 of
 * `${id}.${timestamp}.${body}` keyed by the base64-decoded secret, compared with any of the
 * space-separated `v1,` signatures, and a timestamp within five minutes.
 * @param {string} secret
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {string} body
 */
function verified(secret, headers, body) {
  const id = String(headers['webhook-id']);
  const timestamp = Number(headers['webhook-timestamp']);
  if (Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = Buffer.from(
    `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`,
  );
  return String(headers['webhook-signature'])
    .split(' ')
    .some((candidate) => {
      const actual = Buffer.from(candidate);
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    });
}

/** @type {import('./lib/console.mjs').E2eTest[]} */
export const tests = [
  {
    name: 'an admin registers an endpoint, a simulated call’s events arrive signed and show in Deliveries',
    async run({ page, baseUrl, screenshot }) {
      /** @type {{ headers: import('node:http').IncomingHttpHeaders, body: string }[]} */
      const received = [];
      const receiver = createServer((req, res) => {
        const chunks = /** @type {Buffer[]} */ ([]);
        req.on('data', (chunk) => chunks.push(chunk));
        req.on('end', () => {
          received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"ok":true}');
        });
      });
      await new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve(undefined)));
      const address = receiver.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const receiverUrl = `http://127.0.0.1:${port}/switchboard-events`;
      try {
        await page.setViewportSize({ width: 1280, height: 800 });
        await signIn(page, baseUrl, 'admin');
        await page.getByTestId('nav-webhooks').click();
        await page.waitForURL(/\/admin\/webhooks$/);
        await page.getByTestId('webhooks-add').click();
        await page.getByTestId('endpoint-url').fill(receiverUrl);
        await page.getByTestId('endpoint-description').fill('CRM sync (e2e)');
        // call.completed is ticked by default; add the others of a call.
        await settled(page);
        await page.getByTestId('endpoint-event-call.created').locator('input').check();
        await page.getByTestId('endpoint-event-call.updated').locator('input').check();
        assert.ok(
          await page.getByTestId('endpoint-event-call.completed').locator('input').isChecked(),
        );
        await screenshot('webhooks-00-add-dialog');
        await page.getByTestId('endpoint-submit').click();
        const card = page.getByTestId('webhook-endpoint').filter({ hasText: receiverUrl });
        await card.waitFor();
        await settled(page);
        // Shown in full right after creation (to copy into the receiver); hide it for the picture.
        const secret = (await card.getByTestId('webhook-endpoint-secret').innerText()).trim();
        assert.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/);
        await card.getByTestId('webhook-endpoint-reveal').click();
        assert.match(await card.getByTestId('webhook-endpoint-secret').innerText(), /…/);
        await screenshot('webhooks-01-endpoints-desktop');

        // Another process (the worker) learns of the endpoint within a second.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        const placed = await page.evaluate(
          async ({ tokenKey }) => {
            const response = await fetch('/api/calls', {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                Authorization: `Bearer ${localStorage.getItem(tokenKey)}`,
              },
              body: JSON.stringify({ provider: 'simulator', to: '+14155550103' }),
            });
            return { status: response.status, body: await response.json() };
          },
          { tokenKey: TOKEN_KEY },
        );
        assert.equal(placed.status, 201, JSON.stringify(placed.body));
        const callId = placed.body.id;

        const deadline = Date.now() + 60_000;
        const ofCall = () =>
          received
            .map((request) => ({ request, event: JSON.parse(request.body) }))
            .filter(({ event }) => event.data?.id === callId);
        while (!ofCall().some(({ event }) => event.type === 'call.completed')) {
          assert.ok(
            Date.now() < deadline,
            `call.completed never arrived (${received.length} requests)`,
          );
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        // Deliveries are concurrent and retried: no order is promised (docs/outbound-webhooks.md).
        const types = ofCall().map(({ event }) => event.type);
        assert.ok(types.includes('call.created'), types.join(', '));
        assert.ok(types.includes('call.updated'), types.join(', '));
        assert.equal(types.filter((type) => type === 'call.completed').length, 1);
        for (const { request } of ofCall())
          assert.ok(verified(secret, request.headers, request.body), 'signature verifies');

        await card.getByTestId('webhook-endpoint-deliveries').click();
        await page.waitForURL(/\/admin\/webhooks\/[^/]+\/deliveries/);
        const completed = page
          .getByTestId('delivery')
          .filter({ has: page.getByTestId('delivery-type').getByText('call.completed') });
        await completed.first().waitFor();
        assert.match(await completed.first().innerText(), /Delivered/);
        assert.match(await completed.first().innerText(), /200/);
        await completed.first().locator('button.summary').click();
        await page.getByTestId('delivery-resend').waitFor();
        await settled(page);
        await screenshot('webhooks-02-deliveries-desktop');

        const before = received.length;
        await page.getByTestId('delivery-resend').click();
        const resendDeadline = Date.now() + 15_000;
        while (received.length === before) {
          assert.ok(Date.now() < resendDeadline, 'the resend never arrived');
          await new Promise((resolve) => setTimeout(resolve, 200));
        }

        await page.setViewportSize({ width: 390, height: 844 });
        await page.reload();
        await page.getByTestId('delivery').first().waitFor();
        await settled(page);
        await screenshot('webhooks-03-deliveries-phone');
        await page.goto(`${baseUrl}/admin/webhooks`);
        await page.getByTestId('webhook-endpoint').first().waitFor();
        await settled(page);
        await screenshot('webhooks-04-endpoints-phone');
      } finally {
        await new Promise((resolve) => receiver.close(() => resolve(undefined)));
      }
    },
  },
  {
    name: 'the Providers page shows the configured providers, their webhook URLs and counts',
    async run({ page, baseUrl, screenshot }) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await signIn(page, baseUrl, 'admin');
      await page.getByTestId('nav-providers').click();
      await page.waitForURL(/\/admin\/providers/);
      const simulator = page.getByTestId('provider-simulator');
      await simulator.waitFor();
      assert.match(await simulator.getByTestId('provider-configured').innerText(), /Configured/);
      assert.equal(
        (await simulator.getByTestId('provider-url').first().innerText()).trim(),
        `${baseUrl}/api/webhooks/simulator`,
      );
      assert.ok(Number(await simulator.getByTestId('provider-received').innerText()) > 0);
      const twilio = page.getByTestId('provider-twilio');
      assert.match(await twilio.innerText(), /api\/webhooks\/twilio\/voice/);
      await settled(page);
      await screenshot('providers-01-desktop');
      await page.setViewportSize({ width: 390, height: 844 });
      await page.reload();
      await page.getByTestId('provider-simulator').waitFor();
      await settled(page);
      await screenshot('providers-02-phone');
    },
  },
];
