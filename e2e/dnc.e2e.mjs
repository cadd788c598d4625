// @ts-check
// The do-not-call list: an admin lists a number, and the dialer refuses it before dialing.
import assert from 'node:assert/strict';
import { signIn } from './lib/console.mjs';

/** @type {import('./lib/console.mjs').E2eTest[]} */
export const tests = [
  {
    name: 'an admin adds a number to the do-not-call list and the dialer refuses it',
    async run({ page, baseUrl, screenshot }) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await signIn(page, baseUrl, 'admin');
      await page.getByTestId('nav-do-not-call').click();
      await page.waitForURL(/\/admin\/do-not-call/);
      await page.getByTestId('dnc-phone').fill('(415) 555-0177');
      await page.getByTestId('dnc-reason').fill('Asked not to be called again');
      await page.getByTestId('dnc-add').click();
      const row = page.getByTestId('dnc-row').filter({ hasText: '+14155550177' });
      await row.waitFor();
      assert.match(await row.innerText(), /Asked not to be called again/);
      await page.getByTestId('dnc-phone').fill('+44 20 7183 8751');
      await page.getByTestId('dnc-add').click();
      await page.getByTestId('dnc-row').filter({ hasText: '+442071838751' }).waitFor();
      await screenshot('dnc-01-list-desktop');

      await page.getByTestId('nav-dialer').click();
      await page.waitForURL(/\/dialer/);
      await page.getByTestId('dialer-number').click();
      await page.keyboard.type('415-555-0177');
      const refusal = page.getByTestId('dial-refusal');
      await refusal.waitFor();
      assert.match(await refusal.innerText(), /on the organization's do-not-call list/);
      await screenshot('dnc-02-dialer-refusal');

      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${baseUrl}/admin/do-not-call`);
      await page.getByTestId('dnc-row').first().waitFor();
      await screenshot('dnc-03-list-phone');
    },
  },
];
