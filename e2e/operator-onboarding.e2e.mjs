// @ts-check
// One organization's first day, end to end: the platform operator creates it with its owner (no
// password: a one-time setup link); the owner opens the link in a fresh browser, chooses a password
// and lands signed in; starts a top-up (the Wallet page lists it in progress), pays it on the
// simulated checkout in another tab (a signed webhook through ingress → queue → worker) and the
// open Wallet page shows the credit live, without a reload, with its receipt; creates an API key
// (shown once) and a program uses it; the operator's Audit log shows the credit and the key for
// that organization. Screenshots at 1280×800 and, for the wallet and the audit log, 390×844.
import assert from 'node:assert/strict';
import { settled, signIn } from './lib/console.mjs';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const OWNER_PASSWORD = 'first-owner-password-2026';
const TOP_UP_MICROS = '25000000';

/**
 * A full-page screenshot of any page (the runner's `screenshot` takes the operator's).
 * @param {import('playwright-core').Page} page
 * @param {string} name
 */
const shot = (page, name) =>
  page.screenshot({
    path: new URL(`./artifacts/${name}.png`, import.meta.url).pathname,
    fullPage: true,
  });

/**
 * The page as a phone loads it (reloaded at 390×844, so the shell starts in its phone layout),
 * scrolled to `testId`, then back to the desktop.
 * @param {import('playwright-core').Page} page
 * @param {string} testId
 * @param {string} name
 */
async function phoneShot(page, testId, name) {
  await page.setViewportSize(PHONE);
  await page.reload();
  await page.getByTestId(testId).first().scrollIntoViewIfNeeded();
  await settled(page);
  await shot(page, name);
  await page.setViewportSize(DESKTOP);
  await page.reload();
  await page.getByTestId(testId).first().waitFor();
}

/** @type {import('./lib/console.mjs').E2eTest[]} */
export const tests = [
  {
    name: 'an operator creates an organization; its owner sets up, pays a top-up credited live, makes an API key; the operator audits both',
    async run({ page, browser, baseUrl, screenshot }) {
      // 1. The operator creates the organization with its owner and no password.
      await page.setViewportSize(DESKTOP);
      await signIn(page, baseUrl, 'operator');
      const suffix = Date.now().toString(36);
      const name = `Initech ${suffix}`;
      const ownerEmail = `owner-${suffix}@initech.example`;
      const keyName = `Initech CRM ${suffix}`;
      await page.getByTestId('org-create').click();
      // The dialog focuses its first field once it has opened: typing before that could land there.
      await page.waitForFunction(
        () => globalThis.document.activeElement?.getAttribute('data-testid') === 'org-name',
      );
      await page.getByTestId('org-name').fill(name);
      await page.getByTestId('org-owner-name').fill('Peter Owner');
      await page.getByTestId('org-owner-email').fill(ownerEmail);
      await page.getByTestId('org-create-submit').click();
      await page.getByTestId('org-created').waitFor();
      const setupUrl = (
        await page.getByTestId('org-setup-link').locator('code').innerText()
      ).trim();
      assert.match(setupUrl, /\/setup\/[A-Za-z0-9_-]{43}$/);
      assert.equal(await page.getByTestId('org-owner-password').count(), 0);
      await settled(page);
      await screenshot('onboarding-01-operator-created-with-setup-link');
      await page.getByTestId('org-created-open').click();
      await page.waitForURL(/\/platform\/organizations\/[0-9a-f-]{36}$/);
      const organizationId = page.url().split('/').pop();
      await page.getByTestId('org-title').filter({ hasText: name }).waitFor();
      assert.match(await page.getByTestId('org-wallet-balance').innerText(), /\$0\.00/);

      // 2. The owner, in a fresh browser, opens the link and chooses a password: signed in.
      const owner = await browser.newContext({ viewport: DESKTOP });
      try {
        const wallet = await owner.newPage();
        wallet.setDefaultTimeout(15_000);
        await wallet.goto(setupUrl);
        await wallet.getByTestId('setup-who').waitFor();
        assert.match(
          await wallet.getByTestId('setup-who').innerText(),
          new RegExp(`Peter Owner.*${name}.*owner`, 'i'),
        );
        await wallet.getByTestId('setup-password').fill(OWNER_PASSWORD);
        await wallet.getByTestId('setup-confirm').fill(OWNER_PASSWORD);
        await shot(wallet, 'onboarding-02-owner-setup');
        await wallet.getByTestId('setup-submit').click();
        await wallet.waitForURL(/\/dashboard/);
        await wallet.getByTestId('shell-toolbar').waitFor();
        await shot(wallet, 'onboarding-03-owner-signed-in');

        // 3. The Wallet page: empty, then a top-up started and left unpaid is "in progress".
        await wallet.getByTestId('nav-wallet').click();
        await wallet.waitForURL(/\/wallet/);
        await wallet.getByTestId('wallet-payments').waitFor();
        assert.equal(await wallet.getByTestId('wallet-balance').getAttribute('data-micros'), '0');
        await shot(wallet, 'onboarding-04-wallet-empty-desktop');
        await wallet.getByTestId('wallet-topup-button').click();
        await wallet.getByTestId('topup-amount').fill('25.00');
        await wallet.getByTestId('topup-submit').click();
        await wallet.waitForURL(/\/api\/payments\/simulator\/checkout\//);
        assert.match(await wallet.locator('.amount').innerText(), /25\.00 USD/);
        await shot(wallet, 'onboarding-05-simulated-checkout');
        // Not paid: back to the console, where the payment waits in progress.
        await wallet.goto(`${baseUrl}/wallet`);
        const pending = wallet.getByTestId('payment-pending');
        await pending.waitFor();
        assert.match(await pending.innerText(), /\$25\.00/);
        assert.match(await pending.innerText(), /In progress/);
        const checkoutUrl = await pending.getByTestId('payment-continue').getAttribute('href');
        assert.ok(checkoutUrl, 'an unpaid payment links back to its checkout');
        await shot(wallet, 'onboarding-06-wallet-payment-in-progress-desktop');
        await phoneShot(
          wallet,
          'payment-pending',
          'onboarding-07-wallet-payment-in-progress-phone',
        );

        // Paid in another tab; this tab is not reloaded and shows the credit live (socket).
        await wallet.evaluate(() => {
          /** @type {any} */ (globalThis).__notReloaded = true;
        });
        const checkout = await owner.newPage();
        checkout.setDefaultTimeout(15_000);
        await checkout.goto(new URL(checkoutUrl, baseUrl).href);
        await checkout.locator('#pay').click();
        await checkout.waitForURL(/\/wallet\?payment=/);
        await wallet
          .locator(`[data-testid="wallet-balance"][data-micros="${TOP_UP_MICROS}"]`)
          .waitFor({ timeout: 30_000 });
        assert.equal(
          await wallet.evaluate(() => /** @type {any} */ (globalThis).__notReloaded),
          true,
          'credited without a reload',
        );
        await wallet.getByTestId('shell-balance').filter({ hasText: '$25.00' }).waitFor();
        const receipt = wallet.getByTestId('payment-succeeded');
        await receipt.waitFor();
        assert.match(await receipt.innerText(), /\$25\.00/);
        assert.match(await receipt.innerText(), /Paid/);
        assert.equal(await wallet.getByTestId('payment-pending').count(), 0);
        const topUp = wallet.locator('[data-testid="transaction-row"][data-kind="topup"]');
        await topUp.first().waitFor();
        assert.equal(await topUp.first().getAttribute('data-balance-change'), TOP_UP_MICROS);
        await shot(wallet, 'onboarding-08-wallet-credited-desktop');
        await checkout.close();
        await phoneShot(wallet, 'payment-succeeded', 'onboarding-09-wallet-credited-phone');

        // 4. An API key, shown once; a program uses it.
        await wallet.getByTestId('nav-api-keys').click();
        await wallet.waitForURL(/\/admin\/api-keys/);
        await wallet.getByTestId('api-key-create').click();
        await wallet.getByTestId('api-key-name').fill(keyName);
        await wallet.getByTestId('api-key-submit').click();
        await wallet.getByTestId('api-key-secret').waitFor();
        const secret = (await wallet.getByTestId('api-key-secret').innerText()).trim();
        assert.match(secret, /^sb_live_[A-Za-z0-9_-]{43}$/);
        await settled(wallet);
        await shot(wallet, 'onboarding-10-api-key-shown-once');
        await wallet.getByTestId('api-key-done').click();
        await wallet.getByTestId('api-key-row').filter({ hasText: keyName }).waitFor();
        const answered = await fetch(`${baseUrl}/api/wallet`, {
          headers: { authorization: `Bearer ${secret}` },
        });
        assert.equal(answered.status, 200, 'the key works on the REST API');
        assert.equal((await answered.json()).balanceMicros, TOP_UP_MICROS, "its organization's");
        const forged = await fetch(`${baseUrl}/api/wallet`, {
          headers: { authorization: `Bearer ${secret.slice(0, -2)}xx` },
        });
        assert.equal(forged.status, 401);
      } finally {
        await owner.close();
      }

      // 5. The operator's Audit log, from the organization's page: the credit and the key.
      await page.reload();
      await page.getByTestId('org-wallet-balance').filter({ hasText: '$25.00' }).waitFor();
      await page.getByTestId('org-audit').click();
      await page.waitForURL(new RegExp(`/platform/audit\\?organization=${organizationId}`));
      const entries = page.getByTestId('audit-entry');
      const credit = page.locator(
        `[data-testid="audit-entry"][data-action="wallet.topped_up"][data-organization-id="${organizationId}"]`,
      );
      const key = page.locator(
        `[data-testid="audit-entry"][data-action="api_key.created"][data-organization-id="${organizationId}"]`,
      );
      await credit.waitFor();
      await key.waitFor();
      // Filtered to this organization: every entry is its own.
      const organizations = await entries.evaluateAll((rows) =>
        rows.map((row) => row.getAttribute('data-organization-id')),
      );
      assert.ok(
        organizations.every((id) => id === organizationId),
        'only the organization',
      );
      assert.match(await page.getByTestId('audit-organization').innerText(), new RegExp(name));
      // The payer's top-up, confirmed by the provider's webhook.
      assert.match(await credit.innerText(), /Topped up the wallet/);
      assert.match(await credit.innerText(), new RegExp(ownerEmail));
      assert.match(await credit.innerText(), new RegExp(name));
      assert.match(await key.innerText(), /Created an API key/);
      assert.match(await key.innerText(), new RegExp(ownerEmail));
      await credit.locator('summary').click();
      const changes = credit.getByTestId('audit-changes');
      await changes.waitFor();
      assert.match(await changes.locator('tr', { hasText: 'Amount' }).innerText(), /\$25\.00/);
      assert.match(
        await changes.locator('tr', { hasText: 'Provider' }).first().innerText(),
        /simulator/,
      );
      await key.locator('summary').click();
      await key.getByTestId('audit-changes').waitFor();
      assert.match(await key.getByTestId('audit-changes').innerText(), new RegExp(keyName));
      await screenshot('onboarding-11-operator-audit-desktop');
      await credit.screenshot({
        path: new URL('./artifacts/onboarding-11b-operator-audit-credit.png', import.meta.url)
          .pathname,
      });

      // The whole platform's log through the navigation, and the organization's on a phone.
      await page.getByTestId('nav-audit').click();
      await page.waitForURL(/\/platform\/audit$/);
      await entries.first().waitFor();
      await page.setViewportSize(PHONE);
      await page.goto(`${baseUrl}/platform/audit?organization=${organizationId}`);
      await credit.waitFor();
      await credit.locator('summary').click();
      await credit.getByTestId('audit-changes').waitFor();
      await credit.scrollIntoViewIfNeeded();
      await screenshot('onboarding-12-operator-audit-phone');
    },
  },
];
