// @ts-check
// The dialer end to end, as the seeded agent: a number typed on the keypad is priced and matched
// to its contact, a simulated call rings, is answered and runs with a live timer and cost, takes
// DTMF and mute, is hung up, shows the server's final cost, gets a note and disposition, appears
// in the call history linked to the contact and in the contact's recent calls, and costs the
// wallet exactly that final cost.
/* global document, MutationObserver -- used inside page.evaluate, in the browser */
import assert from 'node:assert/strict';
import { apiGet, settled, signIn } from './lib/console.mjs';

const STATUS_TIMEOUT_MS = 30_000;

/**
 * The wallet once no call holds money any more (every hold captured or released).
 * @param {import('playwright-core').Page} page
 */
async function settledWallet(page) {
  const deadline = Date.now() + STATUS_TIMEOUT_MS;
  for (;;) {
    const wallet = await apiGet(page, '/api/wallet');
    if (BigInt(wallet.heldMicros) === 0n) return BigInt(wallet.availableMicros);
    assert.ok(Date.now() < deadline, `no money is held (held: ${wallet.heldMicros})`);
    await page.waitForTimeout(500);
  }
}

/**
 * `"$0.0195"` → micros, with string arithmetic only.
 * @param {string} text
 */
function parseUsd(text) {
  const match = /\$([\d,]+)(?:\.(\d{1,6}))?/.exec(text);
  assert.ok(match, `an amount in "${text}"`);
  return BigInt(match[1].replace(/,/g, '')) * 1_000_000n + BigInt((match[2] ?? '').padEnd(6, '0'));
}

/** @type {import('./lib/console.mjs').E2eTest[]} */
export const tests = [
  {
    name: 'an agent dials a contact, talks, hangs up, notes the call, and pays its exact cost',
    async run({ page, baseUrl, screenshot }) {
      await signIn(page, baseUrl, 'agent');
      const availableBefore = await settledWallet(page);

      await page.getByTestId('nav-dialer').click();
      await page.waitForURL(/\/dialer/);
      await page.locator('[data-testid="dialer-device"][data-device="simulator"]').waitFor();

      // Typed on the keyboard, as an agent would: the number is priced and matched to Asha Rao.
      await page.getByTestId('dialer-number').click();
      await page.keyboard.type('415-555-0100');
      await page.getByTestId('dialer-rate').waitFor();
      assert.match(await page.getByTestId('dialer-rate').innerText(), /\$0\.013\/min/);
      assert.match(await page.getByTestId('dialer-rate').innerText(), /billed 6\/6/);
      assert.match(await page.getByTestId('dialer-country').innerText(), /United States/);
      assert.match(await page.getByTestId('dialer-e164').innerText(), /\+1 415-555-0100/);
      await page.getByTestId('dialer-contact').waitFor();
      assert.equal((await page.getByTestId('dialer-contact-name').innerText()).trim(), 'Asha Rao');
      assert.equal(await page.getByTestId('dial-refusal').count(), 0, 'nothing refuses the call');
      await screenshot('dialer-01-number-priced');

      // 90 s of talk (9 s at the e2e simulator's 10x speed) leaves time for tones and mute.
      await page.getByTestId('dialer-options').click();
      await page.getByTestId('dialer-talk-90').click();
      await page.getByTestId('dialer-talk-90').waitFor({ state: 'detached' });
      // Ringing lasts a fraction of a second at 10x: record every status the dialer shows.
      await page.evaluate(() => {
        globalThis.dialerStatuses = [];
        new MutationObserver(() => {
          const status = document.querySelector('[data-testid="dialer-status"]');
          const value = status?.getAttribute('data-status');
          if (value && globalThis.dialerStatuses.at(-1) !== value)
            globalThis.dialerStatuses.push(value);
        }).observe(document.body, { subtree: true, childList: true, attributes: true });
      });
      await page.getByTestId('dial-button').click();

      const status = page.getByTestId('dialer-status');
      await page
        .locator('[data-testid="dialer-status"][data-status="in_progress"]')
        .waitFor({ timeout: STATUS_TIMEOUT_MS });
      assert.match(await status.innerText(), /In progress/);
      const seen = await page.evaluate(() => globalThis.dialerStatuses);
      assert.deepEqual(
        seen,
        ['dialing', 'ringing', 'in_progress'],
        'dialing → ringing → in progress',
      );

      // The timer runs from the answer, and the cost with it.
      const timer = page.getByTestId('dialer-timer');
      const firstTick = (await timer.innerText()).trim();
      await page.waitForTimeout(2100);
      const secondTick = (await timer.innerText()).trim();
      assert.match(secondTick, /^\d+:\d{2}$/);
      assert.notEqual(secondTick, firstTick, 'the timer advances');
      assert.ok(parseUsd(await page.getByTestId('dialer-cost').innerText()) > 0n, 'cost so far');

      // DTMF from the keyboard and the keypad, then mute.
      await page.keyboard.press('1');
      await page.getByTestId('keypad-2').click();
      await page.keyboard.press('#');
      await page.getByTestId('dialer-mute').click();
      await page.locator('[data-testid="dialer-mute"][data-muted="true"]').waitFor();
      assert.match(await page.getByTestId('dialer-mute').innerText(), /Muted/);
      assert.match(await page.getByTestId('dialer-digits').innerText(), /12#/);
      await screenshot('dialer-02-in-call');

      // Escape hangs up: the simulated call ends on the server (POST /api/calls/:id/hangup), whose
      // push brings the end and then the final cost.
      await page.keyboard.press('Escape');
      await page.getByTestId('dialer-final-cost').waitFor({ timeout: STATUS_TIMEOUT_MS });
      assert.match(await status.innerText(), /Ended · Completed/);
      const shownCost = parseUsd(await page.getByTestId('dialer-final-cost').innerText());
      await screenshot('dialer-03-ended');

      const historyLink = await page.getByTestId('dialer-open-history').getAttribute('href');
      assert.ok(historyLink, 'the ended call links to its history entry');
      const callId = new URL(historyLink, baseUrl).searchParams.get('call');
      assert.ok(callId, 'the ended call links to its history entry');
      const call = await apiGet(page, `/api/calls/${callId}`);
      assert.equal(call.status, 'completed');
      assert.equal(call.hangupReason, 'Hung up from Switchboard');
      assert.ok(call.durationSeconds > 0 && call.durationSeconds < 90, 'ended at the hang-up');
      // Billed 6/6 at 0.013 USD a minute: 0.0013 per started 6 seconds.
      assert.equal(BigInt(call.costMicros), BigInt(Math.ceil(call.durationSeconds / 6)) * 1300n);
      assert.equal(shownCost, BigInt(call.costMicros), 'the dialer shows the server cost');

      // Note and disposition.
      await page.getByTestId('wrap-up-disposition').click();
      await page.getByTestId('wrap-up-disposition-interested').click();
      await page.getByTestId('wrap-up-disposition-interested').waitFor({ state: 'detached' });
      await page.getByTestId('wrap-up-note').fill('Wants a demo next week');
      await page.getByTestId('wrap-up-save').click();
      await page.getByTestId('wrap-up-saved').waitFor();
      const noted = await apiGet(page, `/api/calls/${callId}`);
      assert.equal(noted.disposition, 'interested');
      assert.equal(noted.note, 'Wants a demo next week');
      await screenshot('dialer-04-noted');

      // The call in the history, linked to Asha Rao.
      await page.getByTestId('dialer-open-history').click();
      await page.waitForURL(new RegExp(`call=${callId}`));
      await page.locator('[data-testid="call-detail-panel"][data-open="true"]').waitFor();
      await page.getByTestId('call-detail-contact').waitFor();
      assert.match(await page.getByTestId('call-detail-contact').innerText(), /Asha Rao/);
      assert.match(await page.getByTestId('call-detail-note').innerText(), /Interested/);
      await screenshot('dialer-05-history');
      await page.getByTestId('call-detail-close').click();
      const row = page.locator(`[data-testid="call-row"][data-call-id="${callId}"]`);
      await row.waitFor();
      assert.match(await row.getByTestId('call-contact').innerText(), /Asha Rao/);

      // And in Asha Rao's contact dialog, whose recent calls come from the calls list.
      await page.getByTestId('nav-contacts').click();
      await page.waitForURL(/\/contacts/);
      await page
        .locator(`[data-testid="contact-row"][data-contact-id="${call.contact.id}"]`)
        .click();
      await page.getByTestId('contact-detail-calls').waitFor();
      assert.equal((await page.getByTestId('contact-detail-name').innerText()).trim(), 'Asha Rao');
      await page.locator(`[data-testid="contact-detail-call"][href*="call=${callId}"]`).waitFor();
      await settled(page);
      await screenshot('dialer-05b-contact');
      await page.keyboard.press('Escape');
      await page.getByTestId('contact-detail').waitFor({ state: 'detached' });

      // The wallet paid exactly the final cost.
      const availableAfter = await settledWallet(page);
      assert.equal(availableBefore - availableAfter, BigInt(call.costMicros));
    },
  },
  {
    name: 'the dialer says why it cannot call a destination without a rate',
    async run({ page, baseUrl, screenshot }) {
      await signIn(page, baseUrl, 'agent');
      await page.goto(`${baseUrl}/dialer?to=%2B74951234567`);
      await page.getByTestId('dial-refusal').waitFor();
      assert.match(await page.getByTestId('dial-refusal').innerText(), /No rate/);
      assert.ok(await page.getByTestId('dial-button').isDisabled(), 'the call button is disabled');
      await screenshot('dialer-06-no-rate');
    },
  },
];
