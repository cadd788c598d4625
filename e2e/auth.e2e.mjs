// @ts-check
// Sign-in, the shell and sign-out, as the seeded admin.
import assert from 'node:assert/strict';

/** @type {import('./lib/console.mjs').E2eTest[]} */
export const tests = [
  {
    name: 'a wrong password shows an error and keeps the user on the login page',
    async run({ page, baseUrl, screenshot }) {
      await page.goto(`${baseUrl}/`);
      await page.waitForURL(/\/login/);
      await page.getByTestId('login-email').waitFor();
      await screenshot('01-login-page');
      await page.getByTestId('login-email').fill('admin@demo.test');
      await page.getByTestId('login-password').fill('not-the-password');
      await page.getByTestId('login-submit').click();
      const error = page.getByTestId('login-error');
      await error.waitFor();
      assert.match(await error.innerText(), /Invalid email or password/);
      assert.match(page.url(), /\/login/);
      await screenshot('02-login-wrong-password');
    },
  },
  {
    name: 'the seeded admin signs in, sees the shell, and signs out',
    async run({ page, baseUrl, screenshot }) {
      await page.goto(`${baseUrl}/login`);
      await page.getByTestId('login-email').fill('admin@demo.test');
      await page.getByTestId('login-password').fill('switchboard-admin');
      await page.getByTestId('login-submit').click();
      await page.waitForURL(/\/dashboard/);
      await page.getByTestId('shell-toolbar').waitFor();
      assert.match(await page.getByTestId('shell-org').innerText(), /Demo Co/);
      assert.match(await page.getByTestId('shell-user').innerText(), /admin@demo\.test/);
      for (const entry of [
        'dashboard',
        'dialer',
        'history',
        'contacts',
        'billing',
        'wallet',
        'admin',
      ]) {
        assert.ok(
          await page.getByTestId(`nav-${entry}`).isVisible(),
          `nav entry ${entry} is visible`,
        );
      }
      await screenshot('03-shell-dashboard');

      await page.getByTestId('nav-admin').click();
      await page.getByTestId('users-table').waitFor();
      assert.ok((await page.getByTestId('user-row').count()) >= 2, 'the seeded users are listed');
      await screenshot('04-admin-users');

      await page.getByTestId('shell-user').click();
      await page.getByTestId('logout').click();
      await page.waitForURL(/\/login/);
      await page.goto(`${baseUrl}/dashboard`);
      await page.waitForURL(/\/login/);
    },
  },
];
