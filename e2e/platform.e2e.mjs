// @ts-check
// The platform operator's console: an operator creates an organization with its owner, credits
// its wallet with a reason (a double click credits once), suspends and reinstates it, and edits a
// price plan's rates; the owner signs in and sees the credit.
import assert from 'node:assert/strict';
import { apiGet, settled, signIn } from './lib/console.mjs';

const OWNER_PASSWORD = 'acme-owner-password-2026';

/** @type {import('./lib/console.mjs').E2eTest[]} */
export const tests = [
  {
    name: 'an operator creates an organization, credits it, suspends and reinstates it; its owner sees the credit',
    async run({ page, browser, baseUrl, screenshot }) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await signIn(page, baseUrl, 'operator');
      // The seeded demo organization is listed with its wallet.
      await page.getByTestId('org-row').first().waitFor();
      await screenshot('platform-01-organizations-desktop');

      // Organization pages are not the operator's: it is sent back to the platform.
      await page.goto(`${baseUrl}/dashboard`);
      await page.waitForURL(/\/platform\/organizations/);

      const suffix = Date.now().toString(36);
      const name = `Acme ${suffix}`;
      const ownerEmail = `owner-${suffix}@acme.example`;
      await page.getByTestId('org-create').click();
      // The dialog focuses its first field once it has opened: typing before that could land there.
      await page.waitForFunction(
        () => globalThis.document.activeElement?.getAttribute('data-testid') === 'org-name',
      );
      await page.getByTestId('org-name').fill(name);
      await page.getByTestId('org-owner-name').fill('Olivia Owner');
      await page.getByTestId('org-owner-email').fill(ownerEmail);
      await page.getByTestId('org-owner-password-input').fill(OWNER_PASSWORD);
      await settled(page);
      await screenshot('platform-02-create-dialog');
      await page.getByTestId('org-create-submit').click();
      await page.getByTestId('org-created').waitFor();
      // A setup link when the api gives one (invitations), else the password that was set.
      const setupLink = await page.getByTestId('org-setup-link').count();
      if (!setupLink) {
        assert.match(await page.getByTestId('org-owner-password').innerText(), /acme-owner/);
      }
      await settled(page);
      await screenshot('platform-03-created');
      await page.getByTestId('org-created-open').click();
      await page.waitForURL(/\/platform\/organizations\/[0-9a-f-]{36}$/);
      const organizationId = page.url().split('/').pop();
      await page.getByTestId('org-title').filter({ hasText: name }).waitFor();
      assert.match(await page.getByTestId('org-wallet-balance').innerText(), /\$0\.00/);

      // A credit with its reason; a double click sends the same Idempotency-Key: credited once.
      await page.getByTestId('credit-amount').fill('250');
      await page.getByTestId('credit-reason').fill('Bank transfer ref. E2E-118');
      await page.getByTestId('credit-submit').dblclick();
      await page.getByTestId('credit-done').waitFor();
      await page
        .getByTestId('org-wallet-balance')
        .filter({ hasText: '$250.00' })
        .waitFor({ timeout: 10_000 });
      const viewed = await apiGet(page, `/api/platform/organizations/${organizationId}`);
      assert.equal(viewed.wallet.balanceMicros, '250000000');
      assert.equal(viewed.wallet.creditsMicros, '250000000');
      assert.match(await page.getByTestId('org-wallet-credits').innerText(), /\$250\.00/);

      // A refund of a call id that is not one of this organization's: the server's reason shown.
      await page.getByTestId('refund-call-id').fill('5708fb09-f909-4626-a386-61c7792ab14a');
      await page.getByTestId('refund-reason').fill('Dropped call');
      await page.getByTestId('refund-submit').click();
      assert.match(await page.getByTestId('refund-error').innerText(), /not found/i);
      await screenshot('platform-04-organization-desktop');

      // Suspend, with a reason and a confirmation: the owner cannot sign in.
      await page.getByTestId('org-suspend').click();
      await page.getByTestId('suspend-reason').fill('Unpaid invoice #42');
      await settled(page);
      await screenshot('platform-05-suspend-dialog');
      await page.getByTestId('suspend-confirm').click();
      await page.getByTestId('org-suspended-banner').waitFor();
      assert.match(
        await page.getByTestId('org-suspended-banner').innerText(),
        /Unpaid invoice #42/,
      );
      await screenshot('platform-06-suspended');
      const refused = await page.evaluate(
        async ({ email, password }) => {
          const response = await fetch('/api/auth/login', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ email, password }),
          });
          return { status: response.status, body: await response.json() };
        },
        { email: ownerEmail, password: OWNER_PASSWORD },
      );
      assert.equal(refused.status, 401);
      assert.match(refused.body.message, /suspended/);

      // The list's state filter finds it among the suspended.
      await page.goto(`${baseUrl}/platform/organizations?state=suspended`);
      await page.locator(`[data-testid="org-row"][data-org-name="${name}"]`).waitFor();

      // Reinstate, confirmed.
      await page.locator(`[data-org-name="${name}"] a`).first().click();
      await page.getByTestId('org-reinstate').click();
      await page.getByTestId('confirm-accept').click();
      await page.getByTestId('org-detail-state').filter({ hasText: 'Active' }).waitFor();
      assert.equal(await page.getByTestId('org-suspended-banner').count(), 0);

      // Phone layout.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${baseUrl}/platform/organizations/${organizationId}`);
      await page.getByTestId('org-title').waitFor();
      await screenshot('platform-07-organization-phone');
      await page.goto(`${baseUrl}/platform/organizations`);
      await page.getByTestId('orgs-cards').waitFor();
      await screenshot('platform-08-organizations-phone');

      // The owner signs in and sees the credited wallet; /platform is not theirs.
      const owner = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const ownerPage = await owner.newPage();
        ownerPage.setDefaultTimeout(15_000);
        await ownerPage.goto(`${baseUrl}/login`);
        await ownerPage.getByTestId('login-email').fill(ownerEmail);
        await ownerPage.getByTestId('login-password').fill(OWNER_PASSWORD);
        await ownerPage.getByTestId('login-submit').click();
        await ownerPage.waitForURL(/\/dashboard/);
        await ownerPage.getByTestId('shell-balance').filter({ hasText: '$250.00' }).waitFor();
        await ownerPage.goto(`${baseUrl}/wallet`);
        await ownerPage.getByText('Bank transfer ref. E2E-118').first().waitFor();
        await ownerPage.screenshot({
          path: new URL('./artifacts/platform-09-owner-wallet.png', import.meta.url).pathname,
          fullPage: true,
        });
        await ownerPage.goto(`${baseUrl}/platform`);
        await ownerPage.waitForURL(/\/dashboard/);
      } finally {
        await owner.close();
      }
    },
  },
  {
    name: 'an operator creates a price plan and edits its rates, with errors next to the fields',
    async run({ page, baseUrl, screenshot }) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await signIn(page, baseUrl, 'operator');
      await page.getByTestId('nav-price-plans').click();
      await page.waitForURL(/\/platform\/price-plans$/);
      await page.getByTestId('plan-row').first().waitFor();
      await screenshot('platform-10-price-plans');

      await page.getByTestId('plan-name').fill(`Wholesale ${Date.now().toString(36)}`);
      await page.getByTestId('plan-create').click();
      await page.waitForURL(/\/platform\/price-plans\/[0-9a-f-]{36}$/);
      await page.getByTestId('plan-rates-empty').waitFor();
      await page.getByTestId('plan-rates-empty').getByRole('button').click();

      const row = page.getByTestId('rate-row').first();
      await row.getByTestId('rate-prefix').fill('044');
      await row.getByTestId('rate-description').fill('United Kingdom');
      await row.getByTestId('rate-price').fill('0.0123456789');
      await page.getByTestId('plan-save').click();
      assert.match(await row.getByTestId('rate-prefix-error').innerText(), /no leading 0/);
      assert.match(await row.getByTestId('rate-price-error').innerText(), /6 decimals/);
      await screenshot('platform-11-rates-errors');

      await row.getByTestId('rate-prefix').fill('44');
      await row.getByTestId('rate-price').fill('0.013');
      await page.getByTestId('plan-save').click();
      const saved = page.locator('[data-testid="plan-rate-row"][data-prefix="44"]');
      await saved.waitFor();
      assert.match(await saved.innerText(), /\$0\.013/);
      await screenshot('platform-12-rates-saved');

      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByTestId('plan-edit').click();
      await page.getByTestId('rate-row').first().waitFor();
      await screenshot('platform-13-rates-editor-phone');
    },
  },
];
