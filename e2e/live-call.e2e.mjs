// The agent's call belongs to the app (issue #15): a simulated call keeps running in the call bar
// while the agent moves between pages, is hung up from the bar and ends on the server with the
// talk time up to the hang-up billed; a reload finds the call again; an admin ends an agent's call
// from the dashboard; an api outage at reload shows the retry screen and recovers on the same
// route; and on a phone (390×844) the call controls stay on screen.
// @ts-check
/* global document -- used inside page.evaluate, in the browser */
import assert from 'node:assert/strict';
import { signIn, TOKEN_KEY } from './lib/console.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** The e2e product plays simulated calls ten times faster than real time (run.mjs). */
const TIME_SCALE = Number(process.env.SIMULATOR_TIME_SCALE ?? '0.1');
/** The seeded US rate: 0.013 USD a minute, billed in 6-second steps. */
const RATE_MICROS_PER_6S = 1300n;

/**
 * Calls the api with the signed-in user's token, from inside the page.
 * @param {Page} page
 * @param {string} path
 * @param {string} [method]
 * @param {unknown} [body]
 * @returns {Promise<any>} the parsed body, whatever the API returns there
 */
async function api(page, path, method = 'GET', body = undefined) {
  const result = await page.evaluate(
    async ({ path, method, body, tokenKey }) => {
      const response = await fetch(path, {
        method,
        headers: {
          Authorization: `Bearer ${localStorage.getItem(tokenKey)}`,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    { path, method, body, tokenKey: TOKEN_KEY },
  );
  assert.ok(
    result.status < 300,
    `${method} ${path}: ${result.status} ${JSON.stringify(result.body)}`,
  );
  return result.body;
}

/**
 * The wallet once no call holds money any more.
 * @param {Page} page
 */
async function settledWallet(page) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const wallet = await api(page, '/api/wallet');
    if (BigInt(wallet.heldMicros) === 0n) return BigInt(wallet.availableMicros);
    assert.ok(Date.now() < deadline, `no money is held (held: ${wallet.heldMicros})`);
    await page.waitForTimeout(300);
  }
}

/**
 * Polls the call until `done(call)`; fails after `timeoutMs`.
 * @param {Page} page
 * @param {string} id
 * @param {(call: any) => boolean} done
 * @param {string} what
 * @returns {Promise<any>} the call
 */
async function waitForCall(page, id, done, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const call = await api(page, `/api/calls/${id}`);
    if (done(call)) return call;
    assert.ok(
      Date.now() < deadline,
      `${what} within ${timeoutMs / 1000} s (status ${call.status})`,
    );
    await page.waitForTimeout(200);
  }
}

/**
 * Dials the seeded contact's number with the simulator from the dialer; returns the call id.
 * @param {Page} page
 * @param {string} baseUrl
 * @returns {Promise<string>}
 */
async function dialFromDialer(page, baseUrl, talk = 180) {
  await page.goto(`${baseUrl}/dialer?to=%2B14155550100`);
  await page.locator('[data-testid="dialer-device"][data-device="simulator"]').waitFor();
  await page.getByTestId('dialer-options').click();
  await page.getByTestId(`dialer-talk-${talk}`).click();
  await page.getByTestId(`dialer-talk-${talk}`).waitFor({ state: 'detached' });
  await page.locator('[data-testid="dial-button"]:not([disabled])').waitFor();
  await page.getByTestId('dial-button').click();
  await page.locator('[data-testid="call-bar"][data-status="in_progress"]').waitFor({
    timeout: 30_000,
  });
  const live = await api(
    page,
    '/api/calls?status=initiated,ringing,in_progress&limit=1&agentId=' +
      (await api(page, '/api/auth/me')).id,
  );
  assert.equal(live.items.length, 1, 'the agent has one live call');
  return live.items[0].id;
}

/** @param {Page} page */
const timerSeconds = async (page) => {
  const text = (await page.getByTestId('call-bar-timer').innerText()).trim();
  const [m, s] = text.split(':').map(Number);
  return m * 60 + s;
};

/**
 * Whether the element is entirely inside the viewport.
 * @param {Page} page
 * @param {string} testId
 */
async function onScreen(page, testId) {
  const box = await page.getByTestId(testId).boundingBox();
  const viewport = page.viewportSize();
  return (
    !!box &&
    !!viewport &&
    box.y >= 0 &&
    box.x >= 0 &&
    box.y + box.height <= viewport.height &&
    box.x + box.width <= viewport.width
  );
}

/** @type {import('./lib/console.mjs').E2eTest[]} */
export const tests = [
  {
    name: 'the call bar keeps the call across pages; hang-up from the bar ends it on the server and bills the talk time up to then',
    async run({ page, baseUrl, screenshot }) {
      await signIn(page, baseUrl, 'agent');
      const before = await settledWallet(page);
      const id = await dialFromDialer(page, baseUrl);
      assert.match(await page.getByTestId('call-bar-who').innerText(), /Asha Rao/);

      // To the history and back: the bar (and its timer) stays, the dialer shows the same call.
      await page.getByTestId('nav-history').click();
      await page.waitForURL(/\/history/);
      const t1 = await timerSeconds(page);
      await page.waitForTimeout(1200);
      const t2 = await timerSeconds(page);
      assert.ok(t2 > t1, `the timer runs on the history page (${t1} → ${t2})`);
      assert.match(await page.getByTestId('call-bar-status').innerText(), /In progress/);
      await screenshot('call-bar-01-history');
      await page.getByTestId('nav-dialer').click();
      await page.waitForURL(/\/dialer/);
      await page.locator('[data-testid="dialer-status"][data-status="in_progress"]').waitFor();
      assert.ok((await page.getByTestId('dial-button').count()) === 0, 'no second call from here');
      await page.getByTestId('nav-history').click();
      await page.waitForURL(/\/history/);

      // Hang up from the bar.
      const answered = await api(page, `/api/calls/${id}`);
      const answeredAt = Date.parse(answered.answeredAt);
      await page.waitForTimeout(600);
      const clickedAt = Date.now();
      await page.getByTestId('call-bar-hangup').click();
      const ended = await waitForCall(
        page,
        id,
        (call) => call.status === 'completed' && call.costMicros !== null,
        'the call completed on the server',
        5000,
      );
      const endedWithin = Date.now() - clickedAt;
      assert.equal(ended.hangupReason, 'Hung up from Switchboard');
      // Talk time is reported at the simulator's scale: seconds of real time / TIME_SCALE.
      const talk = (clickedAt - answeredAt) / 1000 / TIME_SCALE;
      assert.ok(
        Math.abs(ended.durationSeconds - talk) <= endedWithin / 1000 / TIME_SCALE + 2,
        `talk time ${ended.durationSeconds} s ≈ ${talk.toFixed(1)} s up to the hang-up`,
      );
      assert.ok(ended.durationSeconds < 180, 'shorter than the planned 180 s');
      const billable = BigInt(Math.ceil(ended.durationSeconds / 6) * 6);
      assert.equal(BigInt(ended.costMicros), (billable / 6n) * RATE_MICROS_PER_6S);
      await page.locator('[data-testid="call-bar"][data-status="ended"]').waitFor();
      await page
        .getByTestId('call-bar-status')
        .filter({ hasText: /Completed/ })
        .waitFor();
      await screenshot('call-bar-02-ended');
      const after = await settledWallet(page);
      assert.equal(before - after, BigInt(ended.costMicros), 'the wallet paid exactly that');

      await page.getByTestId('call-bar-dismiss').click();
      await page.getByTestId('call-bar').waitFor({ state: 'detached' });
      // The timeline names the hang-up request.
      await page.goto(`${baseUrl}/history?call=${id}`);
      await page
        .locator('[data-testid="timeline-event"][data-outcome="hangup_requested"]')
        .waitFor();
      await screenshot('call-bar-02b-timeline');
    },
  },
  {
    name: 'a reload during a call shows the call bar again; hang-up still ends the call',
    async run({ page, baseUrl, screenshot }) {
      await signIn(page, baseUrl, 'agent');
      const id = await dialFromDialer(page, baseUrl);
      await page.goto(`${baseUrl}/contacts`);
      await page.reload();
      await page.locator('[data-testid="call-bar"][data-status="in_progress"]').waitFor();
      const t1 = await timerSeconds(page);
      await page.waitForTimeout(1100);
      assert.ok((await timerSeconds(page)) > t1, 'the timer runs after the reload');
      assert.match(await page.getByTestId('call-bar-who').innerText(), /Asha Rao/);
      await screenshot('call-bar-03-after-reload');
      // A second call is refused in the dialer while this one is live.
      await page.getByTestId('call-bar-open').click();
      await page.waitForURL(/\/dialer/);
      await page.locator('[data-testid="dialer-status"][data-status="in_progress"]').waitFor();
      await page.getByTestId('call-bar-hangup').click();
      await waitForCall(page, id, (call) => call.status === 'completed', 'the call completed');
      await page.locator('[data-testid="call-bar"][data-status="ended"]').waitFor();
    },
  },
  {
    name: 'an admin ends an agent’s live call from the dashboard',
    async run({ page, browser, baseUrl, screenshot }) {
      await signIn(page, baseUrl, 'agent');
      const id = await dialFromDialer(page, baseUrl);

      const adminContext = await browser.newContext({ viewport: { width: 1366, height: 850 } });
      try {
        const admin = await adminContext.newPage();
        await signIn(admin, baseUrl, 'admin');
        const row = admin.locator(`[data-testid="live-call-row"][data-call-id="${id}"]`);
        await row.waitFor();
        assert.ok((await row.getByTestId('live-call-agent').innerText()).trim(), 'names the agent');
        await screenshot('call-bar-04-agent-in-call');
        await admin.screenshot({
          path: new URL('./artifacts/call-bar-05-admin-dashboard.png', import.meta.url).pathname,
        });
        await row.getByTestId('live-call-hangup').click();
        await row.waitFor({ state: 'detached', timeout: 10_000 });
        const ended = await waitForCall(admin, id, (call) => call.status === 'completed', 'ended');
        assert.equal(ended.hangupReason, 'Hung up from Switchboard');
        // The agent's bar follows.
        await page.locator('[data-testid="call-bar"][data-status="ended"]').waitFor();
        await screenshot('call-bar-06-agent-after-admin-hangup');
      } finally {
        await adminContext.close();
      }
    },
  },
  {
    name: 'an api outage during a reload shows the retry screen and recovers on the same route',
    async run({ page, baseUrl, screenshot }) {
      await signIn(page, baseUrl, 'agent');
      await page.goto(`${baseUrl}/history?status=completed`);
      await page.getByTestId('nav-history').waitFor();
      // The api answers 502 (a proxy in front of it that lost its upstream).
      let failed = 0;
      await page.route(/\/api\//, (route) => {
        failed += 1;
        return route.fulfill({ status: 502, contentType: 'text/plain', body: 'Bad Gateway' });
      });
      await page.reload();
      await page.getByTestId('unreachable-screen').waitFor();
      assert.match(await page.getByTestId('unreachable-screen').innerText(), /retrying/);
      assert.match(await page.getByTestId('unreachable-reason').innerText(), /502/);
      await page.waitForFunction(() =>
        /Attempt [2-9]/.test(
          document.querySelector('[data-testid="unreachable-countdown"]')?.textContent ?? '',
        ),
      );
      assert.ok(failed >= 2, 'it retried');
      assert.match(page.url(), /\/history\?status=completed$/, 'the address is kept');
      await screenshot('call-bar-07-retry-screen');
      assert.ok(
        await page.evaluate((key) => localStorage.getItem(key) !== null, TOKEN_KEY),
        'still signed in',
      );

      await page.unroute(/\/api\//);
      await page.getByTestId('unreachable-screen').waitFor({ state: 'detached', timeout: 20_000 });
      await page.locator('[data-testid="call-row"]').first().waitFor();
      assert.match(page.url(), /\/history\?status=completed$/, 'recovered on the same route');
      await screenshot('call-bar-08-recovered');
    },
  },
  {
    name: 'on a phone (390×844) the call controls stay on screen on every page',
    async run({ browser, baseUrl }) {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      });
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        /** @param {string} name */
        const shot = (name) =>
          page.screenshot({
            path: new URL(`./artifacts/${name}.png`, import.meta.url).pathname,
          });
        await signIn(page, baseUrl, 'agent');
        const id = await dialFromDialer(page, baseUrl);
        assert.ok(await onScreen(page, 'call-bar-hangup'), 'hang-up on screen in the dialer');
        // Scrolled to the bottom of the dialer, the bar is still there.
        await page.evaluate(() =>
          document.querySelectorAll('*').forEach((el) => {
            if (el.scrollHeight > el.clientHeight) el.scrollTop = el.scrollHeight;
          }),
        );
        assert.ok(await onScreen(page, 'call-bar-hangup'), 'hang-up on screen after scrolling');
        await shot('call-bar-09-phone-dialer');
        for (const path of ['/history', '/contacts', '/wallet']) {
          await page.goto(`${baseUrl}${path}`);
          await page.locator('[data-testid="call-bar"][data-status="in_progress"]').waitFor();
          assert.ok(await onScreen(page, 'call-bar-hangup'), `hang-up on screen on ${path}`);
          assert.ok(await onScreen(page, 'call-bar-timer'), `timer on screen on ${path}`);
        }
        await shot('call-bar-10-phone-wallet');
        await page.getByTestId('call-bar-hangup').click();
        await waitForCall(page, id, (call) => call.status === 'completed', 'the call completed');
        await page.locator('[data-testid="call-bar"][data-status="ended"]').waitFor();
        await shot('call-bar-11-phone-ended');
      } finally {
        await context.close();
      }
    },
  },
  {
    name: 'the keypad types + when 0 is held, and letters say why Call is off',
    async run({ page, baseUrl, screenshot }) {
      await signIn(page, baseUrl, 'agent');
      await page.goto(`${baseUrl}/dialer`);
      await page.getByTestId('keypad-0').waitFor();
      const zero = await page.getByTestId('keypad-0').boundingBox();
      assert.ok(zero, 'the 0 key is on screen');
      await page.mouse.move(zero.x + zero.width / 2, zero.y + zero.height / 2);
      await page.mouse.down();
      await page.waitForTimeout(900);
      await page.mouse.up();
      for (const digit of '14155550100') await page.getByTestId(`keypad-${digit}`).click();
      assert.equal(await page.getByTestId('dialer-number').inputValue(), '+14155550100');
      await page.locator('[data-testid="dial-button"]:not([disabled])').waitFor();

      await page.getByTestId('dialer-number').fill('+1 415 CALL NOW');
      await page
        .getByTestId('dial-refusal')
        .filter({ hasText: /Letters cannot be dialed/ })
        .waitFor();
      assert.ok(await page.getByTestId('dial-button').isDisabled(), 'Call is off, and says why');
      await screenshot('call-bar-12-letters');
    },
  },
];
