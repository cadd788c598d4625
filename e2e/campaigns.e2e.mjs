// @ts-check
// Campaigns: an admin creates a campaign over a tagged set of contacts through the simulator (its
// test numbers decide each outcome), starts it, watches it progress live, pauses and resumes it,
// sees it complete and downloads the outcomes as CSV.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { TOKEN_KEY, apiGet, settled, signIn } from './lib/console.mjs';

/** Simulator test numbers (DESIGN §9): +1 NPA 555 01NN; 00–59 completed after 20 + NN s, 60–69 busy, 70–79 no answer. */
const testNumber = (/** @type {number} */ nn) => `+1646555${String(100 + nn).padStart(4, '0')}`;
const COMPLETED = [0, 1, 2, 3, 4, 5, 6, 7];
const BUSY = 61;
const NO_ANSWER = 71;

/**
 * POST with the signed-in user's token, from inside the page.
 * @param {import('playwright-core').Page} page
 * @param {string} path
 * @param {unknown} body
 */
async function apiPost(page, path, body) {
  return page.evaluate(
    async ({ path, body, tokenKey }) => {
      const response = await fetch(path, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${localStorage.getItem(tokenKey)}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
    { path, body, tokenKey: TOKEN_KEY },
  );
}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} testId
 */
const number = async (page, testId) => Number((await page.getByTestId(testId).innerText()).trim());

/** @type {import('./lib/console.mjs').E2eTest[]} */
export const tests = [
  {
    name: 'an admin runs a campaign over a tag: live progress, pause and resume, outcomes CSV',
    async run({ page, baseUrl, screenshot }) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await signIn(page, baseUrl, 'admin');

      // Setup through the API: contacts carrying a fresh tag.
      const tag = `e2e-${Date.now().toString(36)}`;
      const phones = [...COMPLETED, BUSY, NO_ANSWER].map(testNumber);
      for (const [i, phone] of phones.entries()) {
        const created = await apiPost(page, '/api/contacts', {
          name: `Lead ${String.fromCharCode(65 + i)} ${tag}`,
          phone,
          tags: [tag],
        });
        assert.equal(created.status, 201, `contact ${phone}: ${JSON.stringify(created.body)}`);
      }

      await page.getByTestId('nav-campaigns').click();
      await page.waitForURL(/\/campaigns$/);
      await page.getByTestId('campaign-new').click();
      await page.waitForURL(/\/campaigns\/new/);

      // Step 1: the audience, with its live count.
      await page.getByTestId('next-audience').click();
      await page.getByText('Give the campaign a name.').waitFor();
      await page.getByTestId('campaign-name').fill(`Renewals ${tag}`);
      await page.getByTestId('campaign-tag').fill(tag);
      const audienceStep = page.getByTestId('step-audience');
      await audienceStep
        .getByTestId('preview-total')
        .filter({ hasText: String(phones.length) })
        .waitFor();
      assert.equal(Number(await audienceStep.getByTestId('preview-dnc').innerText()), 0);
      await screenshot('campaigns-01-create-audience-desktop');
      await page.getByTestId('next-audience').click();

      // Step 2: the simulator (the default), the provider's default caller ID.
      await page.getByTestId('step-provider').waitFor();
      await page.getByTestId('next-provider').click();
      // Step 3: no start time, no windows.
      await page.getByTestId('step-schedule').waitFor();
      await page.getByTestId('next-schedule').click();
      // Step 4: pacing and retries (busy and no answer twice, no delay).
      await page.getByTestId('step-pacing').waitFor();
      await page.getByTestId('max-concurrent').fill('0');
      await page.getByTestId('per-minute').click();
      await page.getByText('A whole number from 1 to 500.').waitFor();
      await page.getByTestId('max-concurrent').fill('2');
      await page.getByTestId('per-minute').fill('120');
      await page.getByLabel('Minutes between attempts').fill('0');
      await page.getByTestId('next-pacing').click();
      // Step 5: the review and the cost estimate.
      await page.getByTestId('step-review').waitFor();
      await page.getByTestId('estimate-value').waitFor();
      assert.match(await page.getByTestId('campaign-estimate').innerText(), /rate deck/);
      await settled(page);
      await screenshot('campaigns-02-create-review-desktop');
      await page.getByTestId('campaign-create-start').click();

      // The campaign page: running, progressing live (no reload).
      await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
      const id = page.url().split('/').pop();
      await page.locator('[data-testid="campaign-status"][data-status="running"]').waitFor();
      await page.waitForFunction(
        () =>
          Number(globalThis.document.querySelector('[data-testid="attempts"]')?.textContent) >= 2,
      );
      await page.getByTestId('campaign-pause').click();
      await page.locator('[data-testid="campaign-status"][data-status="paused"]').waitFor();
      assert.match(
        await page.getByTestId('campaign-pause-reason').innerText(),
        /Paused by an admin/,
      );
      const attemptsAtPause = (await apiGet(page, `/api/campaigns/${id}`)).progress.attempts;
      await page.waitForTimeout(3000);
      const whilePaused = (await apiGet(page, `/api/campaigns/${id}`)).progress.attempts;
      assert.ok(
        whilePaused <= attemptsAtPause,
        `no attempt while paused (${attemptsAtPause} → ${whilePaused})`,
      );
      await screenshot('campaigns-03-paused-desktop');

      await page.getByTestId('campaign-resume').click();
      await page.locator('[data-testid="campaign-status"][data-status="running"]').waitFor();
      // Completed calls arrive by push while we watch.
      await page.waitForFunction(
        () =>
          Number(globalThis.document.querySelector('[data-testid="completed"]')?.textContent) >= 3,
        undefined,
        { timeout: 60_000 },
      );
      await screenshot('campaigns-04-running-desktop');
      await page
        .locator('[data-testid="campaign-status"][data-status="completed"]')
        .waitFor({ timeout: 120_000 });
      await page.getByTestId('campaign-chart').waitFor();
      assert.equal(await number(page, 'completed'), COMPLETED.length);
      assert.equal(await number(page, 'failed'), 2);
      assert.equal(await number(page, 'attempts'), COMPLETED.length + 4);
      assert.match(await page.getByTestId('answer-rate').innerText(), /\d+ %/);
      assert.notEqual((await page.getByTestId('spent').innerText()).trim(), '—');
      await page
        .getByTestId('campaign-contact-row')
        .filter({ hasText: 'Busy' })
        .getByTestId('contact-attempts')
        .filter({ hasText: '2' })
        .waitFor();
      await page.getByTestId('contact-summary').first().waitFor({ timeout: 30_000 });
      await screenshot('campaigns-05-completed-desktop');

      // The outcomes as CSV.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('campaign-export').click(),
      ]);
      const path = await download.path();
      assert.ok(path, 'the CSV was saved');
      const lines = (await readFile(path, 'utf8')).trim().split(/\r?\n/);
      assert.equal(
        lines[0],
        'name,phone,state,outcome,skip_reason,attempts,last_call_id,call_ids,last_call_summary',
      );
      assert.equal(lines.length, phones.length + 1);
      const line = (/** @type {number} */ nn) =>
        lines.find((l) => l.includes(testNumber(nn))) ?? '';
      assert.match(line(0), /,done,completed,,1,/);
      assert.match(line(BUSY), /,done,busy,retries_exhausted,2,/);
      assert.match(line(NO_ANSWER), /,done,no_answer,retries_exhausted,2,/);

      // The list shows it completed, with its spend.
      await page.getByRole('link', { name: 'Campaigns' }).first().click();
      await page.waitForURL(/\/campaigns$/);
      const row = page.getByTestId('campaign-row').filter({ hasText: tag });
      await row.locator('[data-status="completed"]').waitFor();
      await screenshot('campaigns-06-list-desktop');

      // A phone.
      await page.setViewportSize({ width: 390, height: 844 });
      await settled(page);
      await screenshot('campaigns-07-list-phone');
      await page.goto(`${baseUrl}/campaigns/${id}`);
      await page.getByTestId('campaign-chart').waitFor();
      await settled(page);
      await screenshot('campaigns-08-campaign-phone');
      await page.goto(`${baseUrl}/campaigns/new`);
      await page.getByTestId('campaign-name').fill('Phone check');
      await page.getByTestId('campaign-tag').fill(tag);
      await page
        .getByTestId('step-audience')
        .getByTestId('preview-total')
        .filter({ hasText: String(phones.length) })
        .waitFor();
      await settled(page);
      await screenshot('campaigns-09-create-phone');
    },
  },
];
