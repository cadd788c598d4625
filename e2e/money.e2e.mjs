// @ts-check
// Money end to end, as the seeded admin: a top-up through the dialog credits exactly its amount,
// a simulated call's cost is taken from the wallet to the micro (hold, capture, release), and the
// call is counted on the Billing page. Amounts are compared as BigInt micros, never as floats.
import assert from 'node:assert/strict';
import { apiGet, choose, settled, signIn } from './lib/console.mjs';

const STATUS_TIMEOUT_MS = 30_000;
const TOP_UP_MICROS = 10_000_000n;
// The sample deck bills +1 at 0.013 USD a minute in 6-second blocks: 30 s cost 0.0065.
const EXPECTED_CALL_MICROS = 6_500n;

/** @param {import('playwright-core').Page} page */
async function walletMicros(page) {
  const wallet = await apiGet(page, '/api/wallet');
  return {
    balance: BigInt(wallet.balanceMicros),
    held: BigInt(wallet.heldMicros),
    available: BigInt(wallet.availableMicros),
  };
}

/**
 * `"$0.0065"` or `"$1,234.50"` → micros, with string arithmetic only.
 * @param {string} text
 */
function parseUsd(text) {
  const match = /^(-)?\$([\d,]+)(?:\.(\d{1,6}))?$/.exec(text.trim());
  assert.ok(match, `an amount in dollars: ${text}`);
  const micros =
    BigInt(match[2].replace(/,/g, '')) * 1_000_000n + BigInt((match[3] ?? '').padEnd(6, '0'));
  return match[1] ? -micros : micros;
}

/**
 * Balances and totals read to the cent (rounded half away from zero), as the console shows them.
 * @param {bigint} micros
 */
function formatUsd(micros) {
  const negative = micros < 0n;
  const magnitude = (((negative ? -micros : micros) + 5_000n) / 10_000n) * 10_000n;
  const fraction = (magnitude % 1_000_000n).toString().padStart(6, '0').slice(0, 2);
  const whole = (magnitude / 1_000_000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}$${whole}.${fraction}`;
}

/**
 * The micros a wallet figure or a tile carries, and the text it shows.
 * @param {import('playwright-core').Page} page
 * @param {string} testId
 */
async function figure(page, testId) {
  const element = page.getByTestId(testId);
  const micros = await element.getAttribute('data-micros');
  assert.ok(micros !== null, `${testId} carries its micros`);
  return {
    micros: BigInt(micros),
    text: (await element.innerText()).trim(),
  };
}

/**
 * Clicks `refresh` until `check` holds (or the time is up).
 * @param {import('playwright-core').Page} page
 * @param {string} refreshTestId
 * @param {() => Promise<boolean>} check
 * @param {string} message
 */
async function until(page, refreshTestId, check, message) {
  const deadline = Date.now() + STATUS_TIMEOUT_MS;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, message);
    await page.waitForTimeout(1000);
    await page.getByTestId(refreshTestId).click();
  }
}

/** @type {import('./lib/console.mjs').E2eTest[]} */
export const tests = [
  {
    name: 'a top-up and a call move the wallet by exactly their amounts, and billing counts the call',
    async run({ page, baseUrl, screenshot }) {
      await signIn(page, baseUrl);

      // Wallet: the figures match the API to the micro.
      await page.getByTestId('nav-wallet').click();
      await page.waitForURL(/\/wallet/);
      await page.getByTestId('wallet-transactions-table').waitFor();
      const start = await walletMicros(page);
      assert.equal((await figure(page, 'wallet-balance')).micros, start.balance);
      assert.equal((await figure(page, 'wallet-available')).text, formatUsd(start.available));
      assert.match(await page.getByTestId('shell-balance').innerText(), /\$/);
      await screenshot('money-01-wallet');

      // Top up 10.00 through the dialog: a payment, paid on the simulated provider's checkout page,
      // whose signed webhook credits the wallet through the pipeline.
      await page.getByTestId('wallet-topup-button').click();
      await page.getByTestId('topup-amount').fill('10.00');
      assert.match(await page.getByTestId('topup-submit').innerText(), /Add \$10\.00/);
      await settled(page);
      await screenshot('money-02-top-up-dialog');
      await page.getByTestId('topup-submit').click();
      await page.waitForURL(/\/api\/payments\/simulator\/checkout\//);
      assert.match(await page.locator('.amount').innerText(), /10\.00 USD/);
      await screenshot('money-02b-simulated-checkout');
      await page.locator('#pay').click();
      await page.waitForURL(/\/wallet\?payment=/);
      await page.getByTestId('wallet-payments').waitFor();

      await until(
        page,
        'wallet-refresh',
        async () => (await figure(page, 'wallet-balance')).micros === start.balance + TOP_UP_MICROS,
        'the balance shows the top-up',
      );
      const afterTopUp = await walletMicros(page);
      assert.equal(afterTopUp.balance - start.balance, TOP_UP_MICROS, 'exactly 10.00 credited');
      assert.equal((await figure(page, 'wallet-balance')).text, formatUsd(afterTopUp.balance));
      const topUpRow = page.locator('[data-testid="transaction-row"][data-kind="topup"]').first();
      await topUpRow.waitFor();
      assert.equal(await topUpRow.getAttribute('data-balance-change'), String(TOP_UP_MICROS));
      await page.locator('[data-testid="payment-succeeded"]').first().waitFor();
      await screenshot('money-02c-payment-receipt');
      const available = afterTopUp.available; // B

      // A simulated call of 30 seconds to +1 415 555 0100.
      await page.getByTestId('nav-history').click();
      await page.waitForURL(/\/history/);
      await page.getByTestId('initiate-call-button').click();
      await choose(page, 'initiate-call-provider', 'initiate-call-provider-simulator');
      await page.getByTestId('initiate-call-to').fill('+14155550100');
      await choose(page, 'initiate-call-scenario', 'initiate-call-scenario-completed');
      await page.getByTestId('initiate-call-talk-seconds').fill('30');
      await page.getByTestId('initiate-call-submit').click();
      await page.waitForURL(/[?&]call=/);
      const callId = new URL(page.url()).searchParams.get('call');
      assert.ok(callId, 'the URL names the new call');
      await page.locator('[data-testid="call-detail-panel"][data-open="true"]').waitFor();
      await page.getByTestId('call-detail-close').click();
      await page.getByTestId('call-detail-panel').waitFor({ state: 'detached' });

      const row = page.locator(`[data-testid="call-row"][data-call-id="${callId}"]`);
      await row.waitFor();
      await until(
        page,
        'history-refresh',
        async () => (await row.getAttribute('data-status')) === 'completed',
        'the call completed',
      );

      // Its cost, from the detail panel (C).
      await row.click();
      await page.locator('[data-testid="call-detail-panel"][data-open="true"]').waitFor();
      await until(
        page,
        'call-detail-refresh',
        async () => (await page.getByTestId('call-detail-cost').innerText()).includes('$'),
        'the call has its cost',
      );
      const costText = (await page.getByTestId('call-detail-cost').innerText()).trim();
      assert.equal(costText, '$0.0065');
      const cost = parseUsd(costText);
      assert.equal(cost, EXPECTED_CALL_MICROS);
      assert.equal(BigInt((await apiGet(page, `/api/calls/${callId}`)).costMicros), cost);
      await settled(page);
      await screenshot('money-03-call-detail');
      await page.getByTestId('call-detail-close').click();
      await page.getByTestId('call-detail-panel').waitFor({ state: 'detached' });

      // Wallet: available = B − C exactly, and the call's hold, capture and release are listed.
      await page.getByTestId('nav-wallet').click();
      await page.waitForURL(/\/wallet/);
      await page.getByTestId('wallet-transactions-table').waitFor();
      await until(
        page,
        'wallet-refresh',
        async () => (await walletMicros(page)).held === 0n,
        'the hold of the call is settled',
      );
      const end = await walletMicros(page);
      assert.equal(end.available, available - cost, 'available = B − C');
      assert.equal(end.balance, afterTopUp.balance - cost);
      await until(
        page,
        'wallet-refresh',
        async () => (await figure(page, 'wallet-available')).micros === end.available,
        'the page shows the settled wallet',
      );
      assert.equal((await figure(page, 'wallet-available')).text, formatUsd(end.available));

      const callRows = page.locator(`[data-testid="transaction-row"][data-call-id="${callId}"]`);
      await until(
        page,
        'wallet-transactions-refresh',
        async () => (await callRows.count()) >= 3,
        'the call has its hold, capture and release',
      );
      const movements = await callRows.evaluateAll((rows) =>
        rows.map((r) => ({
          kind: r.getAttribute('data-kind'),
          available: r.getAttribute('data-available-change'),
          balance: r.getAttribute('data-balance-change'),
        })),
      );
      assert.deepEqual(movements.map((m) => m.kind).sort(), ['capture', 'hold', 'release']);
      const capture = movements.find((m) => m.kind === 'capture');
      assert.ok(capture?.balance, 'the capture shows its balance change');
      assert.equal(BigInt(capture.balance), -cost, 'the capture takes the cost from the balance');
      const availableChange = movements.reduce((sum, m) => sum + BigInt(m.available ?? ''), 0n);
      assert.equal(availableChange, -cost, 'hold − release leaves exactly the cost');
      assert.match(
        await callRows.first().getByTestId('transaction-call-link').innerText(),
        /Call to \+14155550100/,
      );
      await screenshot('money-04-wallet-after-call');

      // Billing: the call is counted, its cost in the spend; the chart is drawn.
      await page.getByTestId('nav-billing').click();
      await page.waitForURL(/\/billing/);
      await page.getByTestId('billing-chart').waitFor();
      await page.getByTestId('billing-loading').waitFor({ state: 'detached' });
      const calls = Number(await page.getByTestId('billing-total-calls').innerText());
      assert.ok(calls >= 1, `calls counted (${calls})`);
      const spend = await figure(page, 'billing-total-spend');
      assert.ok(spend.micros >= cost, `spend ${spend.micros} includes the call's ${cost}`);
      assert.equal(spend.text, formatUsd(spend.micros)); // a total: to the cent
      const summary = await apiGet(page, '/api/billing/summary?groupBy=day');
      assert.equal(String(spend.micros), summary.totals.spendMicros);
      const canvas = page.locator('[data-testid="billing-chart"] canvas');
      const box = await canvas.boundingBox();
      assert.ok(box && box.width > 200 && box.height > 100, 'the chart has a size');
      await page.getByTestId('billing-breakdown-table').waitFor();
      await screenshot('money-05-billing');
    },
  },
];
