// @ts-check
// What the end-to-end tests share: their shape, and the console steps every one of them takes
// (signing in as a seeded user, picking a Material select's option, reading the API as the
// signed-in user, waiting for a dialog's animation to finish).
import assert from 'node:assert/strict';

/**
 * What e2e/run.mjs hands each test.
 * @typedef {{
 *   page: import('playwright-core').Page,
 *   context: import('playwright-core').BrowserContext,
 *   browser: import('playwright-core').Browser,
 *   baseUrl: string,
 *   screenshot: (name: string) => Promise<unknown>,
 * }} E2eContext
 * @typedef {{ name: string, run: (context: E2eContext) => Promise<void> }} E2eTest
 */

/** Where the console keeps the signed-in user's access token. */
export const TOKEN_KEY = 'switchboard.accessToken';

/**
 * Signs in through the login page as a seeded demo user and waits for its home: the dashboard,
 * or the platform's organizations for the operator.
 * @param {import('playwright-core').Page} page
 * @param {string} baseUrl
 * @param {'admin' | 'agent' | 'operator'} [who]
 */
export async function signIn(page, baseUrl, who = 'admin') {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-email').fill(`${who}@demo.test`);
  await page.getByTestId('login-password').fill(`switchboard-${who}`);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(who === 'operator' ? /\/platform\/organizations/ : /\/dashboard/);
}

/**
 * Picks an option of a Material select by the test ids of the select and of the option.
 * @param {import('playwright-core').Page} page
 * @param {string} selectTestId
 * @param {string} optionTestId
 */
export async function choose(page, selectTestId, optionTestId) {
  // A select that depends on loaded data (the providers) stays disabled until it has loaded.
  const select = page.locator(`[data-testid="${selectTestId}"][aria-disabled="false"]`);
  await select.waitFor();
  await select.click();
  await page.getByTestId(optionTestId).click();
  await page.getByTestId(optionTestId).waitFor({ state: 'detached' });
}

/**
 * GET an API path with the signed-in user's token, from inside the page; the JSON body of a 200.
 * @param {import('playwright-core').Page} page
 * @param {string} path
 * @returns {Promise<any>} the parsed body, whatever the API returns there
 */
export async function apiGet(page, path) {
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

/**
 * Waits for running CSS animations and transitions (a dialog opening) to finish.
 * @param {import('playwright-core').Page} page
 */
export async function settled(page) {
  await page.waitForFunction(() =>
    globalThis.document.getAnimations().every((animation) => animation.playState !== 'running'),
  );
}
