// @ts-check
// Live updates end to end: an admin and an agent watch their dashboards while the agent places a
// simulated call from Call history. The call must reach both live lists within a second of the
// POST's answer, change status and leave with no reload, and the admin's Call history (opened
// before the call) must show it completed without anyone pressing Refresh.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { choose, signIn } from './lib/console.mjs';

const artifacts = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
const APPEAR_WITHIN_MS = 1000;
const STATUS_TIMEOUT_MS = 30_000;
const TALK_SECONDS = 40;
const NUMBER = '+14155550100';

/** @param {import('playwright-core').Page} page */
async function connected(page) {
  await page.locator('[data-testid="realtime-status"][data-status="connected"]').waitFor();
}

/**
 * Marks the page (a reload would lose the mark) and records, inside it, when each live-call row
 * first appears (epoch ms, comparable across pages of one machine) and every status it shows.
 * @param {import('playwright-core').Page} page
 */
async function watch(page) {
  await page.evaluate(() => {
    /** @type {NonNullable<typeof globalThis.__liveSeen>} */
    const seen = {};
    /** @param {Element} row */
    const record = (row) => {
      const id = row.getAttribute('data-call-id') ?? '';
      const status = row.getAttribute('data-status');
      seen[id] ??= { firstSeenAt: Date.now(), statuses: [] };
      if (seen[id].statuses.at(-1) !== status) seen[id].statuses.push(status);
    };
    const scan = () =>
      globalThis.document.querySelectorAll('[data-testid="live-call-row"]').forEach(record);
    new globalThis.MutationObserver(scan).observe(globalThis.document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-status'],
    });
    scan();
    globalThis.__liveSeen = seen;
    globalThis.__notReloaded = true;
  });
}

/**
 * How this page saw the call's live row (it must have appeared).
 * @param {import('playwright-core').Page} page
 * @param {string} callId
 */
const seenIn = async (page, callId) => {
  const seen = await page.evaluate((id) => globalThis.__liveSeen?.[id], callId);
  assert.ok(seen, `the page saw call ${callId}`);
  return seen;
};
/** @param {import('playwright-core').Page} page */
const notReloaded = (page) => page.evaluate(() => globalThis.__notReloaded === true);

/** @param {import('playwright-core').Page} page */
async function todayCalls(page) {
  const tile = page.locator('[data-testid="dashboard-tile-today"][data-value]');
  await tile.waitFor();
  return Number(await tile.getAttribute('data-value'));
}

/** @param {import('playwright-core').Page} page @param {string} name */
const shot = (page, name) =>
  page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

/** @type {import('./lib/console.mjs').E2eTest[]} */
export const tests = [
  {
    name: "an agent's call appears live on both dashboards and in the admin's history, with no reload",
    async run({ page, context, browser, baseUrl }) {
      // The admin: the dashboard, and Call history in a second tab.
      const adminDashboard = page;
      await signIn(adminDashboard, baseUrl, 'admin');
      await connected(adminDashboard);
      const adminHistory = await context.newPage();
      await adminHistory.goto(`${baseUrl}/history`);
      await connected(adminHistory);
      await adminHistory
        .locator('[data-testid="history-table"], [data-testid="history-empty"]')
        .first()
        .waitFor();

      const agentContext = await browser.newContext({ viewport: { width: 1366, height: 850 } });
      try {
        // The agent: the dashboard, and Call history in a second tab to place the call from.
        const agentDashboard = await agentContext.newPage();
        await signIn(agentDashboard, baseUrl, 'agent');
        await connected(agentDashboard);
        const agentHistory = await agentContext.newPage();
        await agentHistory.goto(`${baseUrl}/history`);
        await connected(agentHistory);

        const dashboards = { admin: adminDashboard, agent: agentDashboard };
        /** @type {Record<string, number>} */
        const before = {};
        for (const [who, dashboard] of Object.entries(dashboards)) {
          await dashboard.getByTestId('dashboard-live-list').waitFor();
          before[who] = await todayCalls(dashboard);
          await watch(dashboard);
        }
        await watch(adminHistory);

        // The agent places a 40-second simulated call through the "Initiate call" dialog.
        await agentHistory.getByTestId('initiate-call-button').click();
        await choose(agentHistory, 'initiate-call-provider', 'initiate-call-provider-simulator');
        await agentHistory.getByTestId('initiate-call-to').fill(NUMBER);
        await choose(agentHistory, 'initiate-call-scenario', 'initiate-call-scenario-completed');
        await agentHistory.getByTestId('initiate-call-talk-seconds').fill(String(TALK_SECONDS));
        const posted = agentHistory.waitForResponse(
          (response) =>
            new URL(response.url()).pathname === '/api/calls' &&
            response.request().method() === 'POST',
        );
        await agentHistory.getByTestId('initiate-call-submit').click();
        const response = await posted;
        assert.equal(response.status(), 201, 'the call was placed');
        const call = await response.json();
        await response.finished();
        const timing = response.request().timing();
        const answeredAt =
          timing.responseEnd >= 0 ? timing.startTime + timing.responseEnd : Date.now();

        // It reaches both live lists within a second of the answer (the server pushes
        // call:created before it answers, so "before" shows as a negative latency).
        /** @type {Record<string, number>} */
        const latencies = {};
        /** @type {Record<string, number>} */
        const sinceSent = {};
        for (const [who, dashboard] of Object.entries(dashboards)) {
          await dashboard
            .locator(`[data-testid="live-call-row"][data-call-id="${call.id}"]`)
            .waitFor({ timeout: APPEAR_WITHIN_MS + 4000 });
          const seen = await seenIn(dashboard, call.id);
          latencies[who] = seen.firstSeenAt - answeredAt;
          sinceSent[who] = seen.firstSeenAt - timing.startTime;
          assert.ok(
            latencies[who] <= APPEAR_WITHIN_MS,
            `the call reached the ${who}'s dashboard ${latencies[who]} ms after the POST answered`,
          );
        }
        const ms = (/** @type {number} */ value) => `${Math.round(value)} ms`;
        console.log(
          `    appeared after the POST answer: admin ${ms(latencies.admin)}, agent ${ms(latencies.agent)}` +
            ` (after it was sent: admin ${ms(sinceSent.admin)}, agent ${ms(sinceSent.agent)})`,
        );

        // Its status changes live: ringing, then in progress, with a running duration.
        for (const dashboard of Object.values(dashboards)) {
          await dashboard
            .locator(
              `[data-testid="live-call-row"][data-call-id="${call.id}"][data-status="in_progress"]`,
            )
            .waitFor({ timeout: STATUS_TIMEOUT_MS });
        }
        const adminRow = adminDashboard.locator(
          `[data-testid="live-call-row"][data-call-id="${call.id}"]`,
        );
        assert.match(await adminRow.innerText(), /\+14155550100/);
        assert.match(await adminRow.innerText(), /Alan Agent/, 'admins see whose call it is');
        const agentRow = agentDashboard.locator(
          `[data-testid="live-call-row"][data-call-id="${call.id}"]`,
        );
        await shot(adminDashboard, 'realtime-01-admin-dashboard-during-call');
        await shot(agentDashboard, 'realtime-02-agent-dashboard-during-call');
        const tick = await agentRow.getByTestId('live-call-duration').innerText();
        assert.match(tick, /^\d+:\d\d$/);
        await agentDashboard.waitForFunction(
          ({ id, previous }) =>
            globalThis.document
              .querySelector(`[data-call-id="${id}"] [data-testid="live-call-duration"]`)
              ?.textContent.trim() !== previous,
          { id: call.id, previous: tick.trim() },
          { timeout: 2500 },
        );

        // It ends: it leaves both live lists and both "Today's calls" tiles count it.
        for (const [who, dashboard] of Object.entries(dashboards)) {
          await dashboard
            .locator(`[data-testid="live-call-row"][data-call-id="${call.id}"]`)
            .waitFor({ state: 'detached', timeout: STATUS_TIMEOUT_MS });
          await dashboard.waitForFunction(
            (expected) =>
              globalThis.document
                .querySelector('[data-testid="dashboard-tile-today"]')
                ?.getAttribute('data-value') === String(expected),
            before[who] + 1,
            { timeout: 5000 },
          );
          const { statuses } = await seenIn(dashboard, call.id);
          const ringing = statuses.indexOf('ringing');
          const talking = statuses.indexOf('in_progress');
          assert.ok(
            ringing !== -1 && talking > ringing,
            `the ${who} saw ringing, then in progress (${statuses.join(' → ')})`,
          );
        }
        const toast = agentDashboard.locator('mat-snack-bar-container').last();
        await toast.waitFor();
        assert.match(
          await toast.innerText(),
          new RegExp(`Call to \\${NUMBER} ended: Completed · 0:${TALK_SECONDS}`),
        );

        // The admin's Call history, opened before the call, shows it completed: no Refresh.
        await adminHistory
          .locator(`[data-testid="call-row"][data-call-id="${call.id}"][data-status="completed"]`)
          .waitFor({ timeout: STATUS_TIMEOUT_MS });
        for (const tab of [adminDashboard, agentDashboard, adminHistory]) {
          assert.ok(await notReloaded(tab), 'no page was reloaded');
        }

        // A moment for the cost to arrive in the toast and the chart to redraw.
        await agentDashboard.waitForTimeout(500);
        await shot(adminDashboard, 'realtime-03-admin-dashboard-after');
        await shot(agentDashboard, 'realtime-04-agent-dashboard-after');
        await shot(adminHistory, 'realtime-05-admin-history-completed');
      } finally {
        await agentContext.close();
      }
    },
  },
];
