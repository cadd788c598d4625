// @ts-check
// API keys and the audit log: the owner creates a key (shown once), a program uses it, the owner
// revokes it, and the Audit page shows both changes.
import assert from 'node:assert/strict';
import { signIn } from './lib/console.mjs';

/** @type {import('./lib/console.mjs').E2eTest[]} */
export const tests = [
  {
    name: 'the owner creates an API key, it works until revoked, and the audit log shows both',
    async run({ page, baseUrl, screenshot }) {
      await page.setViewportSize({ width: 1280, height: 800 });
      // admin@demo.test is the seeded organization's owner.
      await signIn(page, baseUrl, 'admin');
      await page.getByTestId('nav-api-keys').click();
      await page.waitForURL(/\/admin\/api-keys/);
      await page.getByTestId('api-key-create').click();
      const name = `E2E integration ${Date.now().toString(36)}`;
      await page.getByTestId('api-key-name').fill(name);
      await page.getByTestId('api-key-submit').click();
      const secretBox = page.getByTestId('api-key-secret');
      await secretBox.waitFor();
      const secret = (await secretBox.innerText()).trim();
      assert.match(secret, /^sb_live_[A-Za-z0-9_-]{43}$/);
      await screenshot('audit-01-api-key-shown-once');
      await page.getByTestId('api-key-done').click();
      const row = page.getByTestId('api-key-row').filter({ hasText: name });
      await row.waitFor();
      assert.ok(!(await page.content()).includes(secret), 'the list never shows the secret');

      // A program uses the key: the REST API answers it like a token of an agent.
      const withKey = () =>
        fetch(`${baseUrl}/api/calls`, { headers: { authorization: `Bearer ${secret}` } });
      assert.equal((await withKey()).status, 200);
      await page.reload();
      await row.waitFor();
      assert.doesNotMatch(await row.innerText(), /Never/, 'the last use is shown');
      await screenshot('audit-02-api-keys-desktop');

      await row.getByTestId('api-key-revoke').click();
      await page.getByRole('button', { name: 'Revoke key' }).click();
      await row.getByTestId('api-key-revoked').waitFor();
      const refused = await withKey();
      assert.equal(refused.status, 401);

      await page.getByTestId('nav-audit').click();
      await page.waitForURL(/\/admin\/audit/);
      const created = page.locator('[data-testid="audit-entry"][data-action="api_key.created"]');
      const revoked = page.locator('[data-testid="audit-entry"][data-action="api_key.revoked"]');
      await created.first().waitFor();
      await revoked.first().waitFor();
      await revoked.first().locator('summary').click();
      const changes = revoked.first().getByTestId('audit-changes');
      await changes.waitFor();
      assert.match(await changes.innerText(), /Revoked at/);
      assert.match(await created.first().innerText(), /Created an API key/);
      await screenshot('audit-03-log-desktop');

      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${baseUrl}/admin/audit`);
      await revoked.first().waitFor();
      await revoked.first().locator('summary').click();
      await revoked.first().getByTestId('audit-changes').waitFor();
      await screenshot('audit-04-log-phone');
      await page.goto(`${baseUrl}/admin/api-keys`);
      await page.getByTestId('api-key-row').first().waitFor();
      await screenshot('audit-05-api-keys-phone');
    },
  },
];
