// @ts-check
// Call history, a simulated call from the "Initiate call" dialog to its timeline, and the webhook
// events behind it, as the seeded admin.
import assert from 'node:assert/strict';
import { choose, signIn } from './lib/console.mjs';

const STATUS_TIMEOUT_MS = 30_000;

/** @type {import('./lib/console.mjs').E2eTest[]} */
export const tests = [
  {
    name: 'a simulated call is placed, completes, and shows its timeline and webhook events',
    async run({ page, baseUrl, screenshot }) {
      await signIn(page, baseUrl);

      await page.getByTestId('nav-history').click();
      await page.waitForURL(/\/history/);
      await page.getByTestId('history-empty').waitFor();
      assert.match(await page.getByTestId('history-empty').innerText(), /No calls yet/);
      await screenshot('calls-01-history-empty');

      // Place a call through the simulator.
      await page.getByTestId('initiate-call-button').click();
      await choose(page, 'initiate-call-provider', 'initiate-call-provider-simulator');
      await page.getByTestId('initiate-call-to').fill('+14155550100');
      await choose(page, 'initiate-call-scenario', 'initiate-call-scenario-completed');
      await page.getByTestId('initiate-call-talk-seconds').fill('20');
      await screenshot('calls-02-initiate-call');
      await page.getByTestId('initiate-call-submit').click();

      // The new call opens in the detail panel and is in the list behind it.
      await page.waitForURL(/[?&]call=/);
      const callId = new URL(page.url()).searchParams.get('call');
      assert.ok(callId, 'the URL names the new call');
      await page.locator('[data-testid="call-detail-panel"][data-open="true"]').waitFor();
      assert.match(await page.getByTestId('call-detail-number').innerText(), /\+14155550100/);
      await page.getByTestId('call-detail-close').click();
      await page.getByTestId('call-detail-panel').waitFor({ state: 'detached' });
      await page.waitForURL((url) => !url.searchParams.has('call'));

      const row = page.locator(`[data-testid="call-row"][data-call-id="${callId}"]`);
      await row.waitFor();
      assert.match(await row.getByTestId('call-to').innerText(), /\+14155550100/);

      // The simulator plays the call at ten times real speed; refresh until it has completed.
      const deadline = Date.now() + STATUS_TIMEOUT_MS;
      let status = await row.getAttribute('data-status');
      while (status !== 'completed') {
        assert.ok(
          Date.now() < deadline,
          `the call completed within ${STATUS_TIMEOUT_MS / 1000} s (last status: ${status})`,
        );
        await page.waitForTimeout(1000);
        await page.getByTestId('history-refresh').click();
        await page.getByTestId('history-loading').waitFor({ state: 'detached' });
        status = await row.getAttribute('data-status');
      }
      assert.equal((await row.getByTestId('call-status-chip').innerText()).trim(), 'Completed');
      assert.equal((await row.getByTestId('call-duration').innerText()).trim(), '0:20');
      await screenshot('calls-03-history-completed');

      // The detail panel explains every provider event.
      await row.click();
      await page.locator('[data-testid="call-detail-panel"][data-open="true"]').waitFor();
      await page.getByTestId('call-timeline').waitFor();
      assert.match(await page.getByTestId('call-detail-status').innerText(), /Completed/);
      for (const expected of ['ringing', 'in_progress', 'completed']) {
        const event = page.locator(
          `[data-testid="timeline-event"][data-status="${expected}"][data-applied="true"]`,
        );
        assert.equal(await event.count(), 1, `one applied ${expected} event`);
        assert.match(await event.getByTestId('timeline-outcome').innerText(), /^Applied/);
      }
      await screenshot('calls-04-call-detail');
      await page.getByTestId('call-detail-close').click();
      await page.getByTestId('call-detail-panel').waitFor({ state: 'detached' });

      // Admin → Webhook events lists the simulator's callbacks, processed.
      await page.getByTestId('nav-webhook-events').click();
      await page.waitForURL(/\/admin\/webhook-events/);
      await page.getByTestId('webhook-table').waitFor();
      const processed = page.locator(
        '[data-testid="webhook-row"][data-provider="simulator"][data-state="processed"]',
      );
      assert.ok((await processed.count()) >= 3, 'the ringing, answer and completion callbacks');
      await processed.first().click();
      await page.getByTestId('webhook-body').waitFor();
      assert.match(await page.getByTestId('webhook-body').innerText(), /"status": "completed"/);
      await screenshot('calls-05-webhook-events');
    },
  },
];
