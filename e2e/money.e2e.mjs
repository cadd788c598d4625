// Money end to end, as the seeded admin: a top-up through the dialog credits exactly its amount,
// a simulated call's cost is taken from the wallet to the micro (hold, capture, release), and the
// call is counted on the Billing page. Amounts are compared as BigInt micros, never as floats.
import assert from 'node:assert/strict';

const STATUS_TIMEOUT_MS = 30_000;
const TOKEN_KEY = 'switchboard.accessToken';
const TOP_UP_MICROS = 10_000_000n;
// The sample deck bills +1 at 0.013 USD a minute in 6-second blocks: 30 s cost 0.0065.
const EXPECTED_CALL_MICROS = 6_500n;

async function signIn(page, baseUrl) {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-email').fill('admin@demo.test');
  await page.getByTestId('login-password').fill('switchboard-admin');
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/dashboard/);
}

/** GET an API path with the signed-in user's token, from inside the page. */
async function api(page, path) {
  const result = await page.evaluate(
    async ({ path, tokenKey }) => {
      const response = await fetch(path, {
        headers: { Authorization: `Bearer ${localStorage.getItem(tokenKey)}` },
      });
      return { status: response.status, body: await response.json() };
    },
    { path, tokenKey: TOKEN_KEY },
  );
  assert.equal(result.status, 200, `GET ${path}`);
  return result.body;
}

async function walletMicros(page) {
  const wallet = await api(page, '/api/wallet');
  return {
    balance: BigInt(wallet.balanceMicros),
    held: BigInt(wallet.heldMicros),
    available: BigInt(wallet.availableMicros),
  };
}

/** `"$0.0065"` or `"$1,234.50"` → micros, with string arithmetic only. */
function parseUsd(text) {
  const match = /^(-)?\$([\d,]+)(?:\.(\d{1,6}))?$/.exec(text.trim());
  assert.ok(match, `an amount in dollars: ${text}`);
  const micros =
    BigInt(match[2].replace(/,/g, '')) * 1_000_000n + BigInt((match[3] ?? '').padEnd(6, '0'));
  return match[1] ? -micros : micros;
}

/** Micros as the wallet page shows them: 2 to 6 decimals, thousands grouped. */
function formatUsd(micros) {
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  let fraction = (magnitude % 1_000_000n).toString().padStart(6, '0');
  while (fraction.length > 2 && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  const whole = (magnitude / 1_000_000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}$${whole}.${fraction}`;
}

/** The micros a wallet figure or a tile carries, and the text it shows. */
async function figure(page, testId) {
  const element = page.getByTestId(testId);
  return {
    micros: BigInt(await element.getAttribute('data-micros')),
    text: (await element.innerText()).trim(),
  };
}

/** Clicks `refresh` until `check` holds (or the time is up). */
async function until(page, refreshTestId, check, message) {
  const deadline = Date.now() + STATUS_TIMEOUT_MS;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, message);
    await page.waitForTimeout(1000);
    await page.getByTestId(refreshTestId).click();
  }
}

/** Waits for running CSS animations and transitions (a dialog opening) to finish. */
async function settled(page) {
  await page.waitForFunction(() =>
    globalThis.document.getAnimations().every((animation) => animation.playState !== 'running'),
  );
}

async function choose(page, selectTestId, optionTestId) {
  const select = page.locator(`[data-testid="${selectTestId}"][aria-disabled="false"]`);
  await select.waitFor();
  await select.click();
  await page.getByTestId(optionTestId).click();
  await page.getByTestId(optionTestId).waitFor({ state: 'detached' });
}

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
      assert.equal(BigInt((await api(page, `/api/calls/${callId}`)).costMicros), cost);
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
      assert.equal(BigInt(capture.balance), -cost, 'the capture takes the cost from the balance');
      const availableChange = movements.reduce((sum, m) => sum + BigInt(m.available), 0n);
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
      assert.equal(parseUsd(spend.text), spend.micros);
      const summary = await api(page, '/api/billing/summary?groupBy=day');
      assert.equal(String(spend.micros), summary.totals.spendMicros);
      const canvas = page.locator('[data-testid="billing-chart"] canvas');
      const box = await canvas.boundingBox();
      assert.ok(box && box.width > 200 && box.height > 100, 'the chart has a size');
      await page.getByTestId('billing-breakdown-table').waitFor();
      await screenshot('money-05-billing');
    },
  },
];
