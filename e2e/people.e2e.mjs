// @ts-check
// People: an admin invites an agent with a one-time setup link; the agent opens it in a fresh
// browser, chooses a password and lands signed in; the link does not work twice; the agent changes
// their password and their other session is signed out. Screenshots at 1280×800 and 390×844.
import assert from 'node:assert/strict';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/**
 * @param {import('playwright-core').Page} page
 * @param {string} baseUrl
 * @param {string} email
 * @param {string} password
 */
async function signIn(page, baseUrl, email, password) {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/dashboard/);
  await page.getByTestId('shell-toolbar').waitFor();
}

/** @type {import('./lib/console.mjs').E2eTest[]} */
export const tests = [
  {
    name: 'an admin invites an agent, who sets a password with the link and lands signed in; the link works once; a password change signs the other session out',
    async run({ page, browser, baseUrl, screenshot }) {
      const email = `ivy-${Date.now()}@demo.test`;
      const firstPassword = 'ivy-first-password';
      const secondPassword = 'ivy-second-password';

      // The admin invites.
      await page.setViewportSize(DESKTOP);
      await signIn(page, baseUrl, 'admin@demo.test', 'switchboard-admin');
      await page.goto(`${baseUrl}/admin/users`);
      await page.getByTestId('users-table').waitFor();
      await page.getByTestId('invite-user-button').click();
      await page.getByTestId('invite-user-submit').click();
      await page.getByText("Enter the user's name").waitFor();
      await screenshot('people-01-invite-validation-1280');
      await page.getByTestId('invite-user-name').fill('Ivy Invited');
      await page.getByTestId('invite-user-email').fill(email);
      await page.getByTestId('invite-user-submit').click();
      const url = (await page.getByTestId('setup-link-url').innerText()).trim();
      assert.match(url, /\/setup\/[A-Za-z0-9_-]{43}$/);
      await page.getByTestId('setup-link-copy').click();
      await page.getByText('Copied').waitFor();
      await screenshot('people-02-invite-link-1280');
      await page.getByTestId('setup-link-done').click();
      const row = page.locator(`[data-user-email="${email}"]`);
      await row.waitFor();
      assert.match(await row.getByTestId('user-status').innerText(), /Invited/);
      assert.match(await row.getByTestId('user-last-sign-in').innerText(), /Not yet/);
      await screenshot('people-03-users-pending-1280');

      // The agent, in a fresh browser on a phone, opens the link.
      const agentPhone = await browser.newContext({ viewport: PHONE });
      const phone = await agentPhone.newPage();
      phone.setDefaultTimeout(15_000);
      // The link points at PUBLIC_BASE_URL, which is this run's base URL.
      await phone.goto(url);
      await phone.getByTestId('setup-who').waitFor();
      assert.match(await phone.getByTestId('setup-who').innerText(), /Welcome, Ivy Invited/);
      await phone.getByTestId('setup-password').fill('short');
      await phone.getByTestId('setup-confirm').fill('other');
      await phone.getByTestId('setup-submit').click();
      await phone.getByText('Use at least 8 characters').waitFor();
      await phone.getByText('The passwords do not match').waitFor();
      await phone.screenshot({
        path: 'e2e/artifacts/people-04-setup-validation-390.png',
        fullPage: true,
      });
      await phone.getByTestId('setup-password').fill(firstPassword);
      await phone.getByTestId('setup-confirm').fill(firstPassword);
      await phone.getByTestId('setup-submit').click();
      await phone.waitForURL(/\/dashboard/);
      await phone.getByTestId('shell-toolbar').waitFor();
      await phone.screenshot({ path: 'e2e/artifacts/people-05-signed-in-390.png' });

      // The same link again, in another fresh browser: refused, with the way to sign in.
      const again = await browser.newContext({ viewport: DESKTOP });
      const againPage = await again.newPage();
      await againPage.goto(url);
      await againPage.getByTestId('setup-unusable').waitFor();
      assert.match(await againPage.getByTestId('setup-unusable').innerText(), /already used/);
      await againPage.screenshot({ path: 'e2e/artifacts/people-06-link-used-1280.png' });
      await again.close();

      // The admin sees the last sign-in.
      await page.reload();
      await row.waitFor();
      assert.match(await row.getByTestId('user-status').innerText(), /Active/);
      assert.doesNotMatch(await row.getByTestId('user-last-sign-in').innerText(), /Not yet|Never/);

      // The agent also signs in on a desktop, then changes the password there.
      const agentDesktop = await browser.newContext({ viewport: DESKTOP });
      const desk = await agentDesktop.newPage();
      desk.setDefaultTimeout(15_000);
      await signIn(desk, baseUrl, email, firstPassword);
      await desk.getByTestId('shell-user').click();
      await desk.getByTestId('change-password').click();
      await desk.waitForURL(/\/account\/password/);
      await desk.getByTestId('current-password').fill('not-my-password');
      await desk.getByTestId('new-password').fill(secondPassword);
      await desk.getByTestId('confirm-password').fill(secondPassword);
      await desk.getByTestId('change-password-submit').click();
      await desk.getByTestId('current-password-error').waitFor();
      await desk.screenshot({ path: 'e2e/artifacts/people-07-change-password-wrong-1280.png' });
      await desk.getByTestId('current-password').fill(firstPassword);
      await desk.getByTestId('change-password-submit').click();
      await desk.getByTestId('password-changed').waitFor();
      await desk.screenshot({ path: 'e2e/artifacts/people-08-password-changed-1280.png' });

      // This session goes on with its fresh token…
      await desk.getByTestId('nav-history').click();
      await desk.waitForURL(/\/history/);
      // (past the moment the server drops the user's sockets: this one comes back with its new token)
      await desk.waitForTimeout(3000);
      assert.match(desk.url(), /\/history/);
      await desk.getByTestId('shell-toolbar').waitFor();
      // …and the phone's session is over: its socket is refused at once (the console then signs
      // out), and any request with its token is a 401.
      if (!/\/login/.test(phone.url())) await phone.goto(`${baseUrl}/history`);
      await phone.waitForURL(/\/login/);
      await phone.getByTestId('login-email').waitFor();
      await phone.screenshot({ path: 'e2e/artifacts/people-09-other-session-signed-out-390.png' });
      await agentPhone.close();

      // The new password signs in; the change password page on a phone.
      const later = await browser.newContext({ viewport: PHONE });
      const laterPage = await later.newPage();
      laterPage.setDefaultTimeout(15_000);
      await signIn(laterPage, baseUrl, email, secondPassword);
      await laterPage.goto(`${baseUrl}/account/password`);
      await laterPage.getByTestId('current-password').waitFor();
      await laterPage.screenshot({
        path: 'e2e/artifacts/people-10-change-password-390.png',
        fullPage: true,
      });
      await later.close();
      await agentDesktop.close();

      // The Users page and the invite dialog on a phone.
      await page.setViewportSize(PHONE);
      await page.reload();
      await page.getByTestId('users-table').waitFor();
      await screenshot('people-11-users-390');
      await page.getByTestId('invite-user-button').click();
      await page.getByTestId('invite-user-name').fill('Pat Pending');
      await page.getByTestId('invite-user-email').fill(`pat-${Date.now()}@demo.test`);
      await page.getByTestId('invite-user-submit').click();
      await page.getByTestId('setup-link-url').waitFor();
      await screenshot('people-12-invite-link-390');
    },
  },
];
