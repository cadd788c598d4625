// @ts-check
// Call outcomes (#16): a simulated call, answered and completed, shows its recording (it plays:
// the audio element reports a duration), transcript and summary in the call detail; a word said
// on the call finds it in history, and so does its contact's name; the contact's recent calls show
// its summary (api: call-outcomes.int-spec).
import assert from 'node:assert/strict';
import { apiGet, choose, settled, signIn } from './lib/console.mjs';

const STATUS_TIMEOUT_MS = 40_000;

/** @type {import('./lib/console.mjs').E2eTest[]} */
export const tests = [
  {
    name: 'a completed simulated call plays its recording, shows its transcript and summary, and its history row says so',
    async run({ page, baseUrl, screenshot }) {
      await signIn(page, baseUrl);
      await page.getByTestId('nav-history').click();
      await page.waitForURL(/\/history/);

      await page.getByTestId('initiate-call-button').click();
      await choose(page, 'initiate-call-provider', 'initiate-call-provider-simulator');
      await page.getByTestId('initiate-call-to').fill('+14155550100');
      await choose(page, 'initiate-call-scenario', 'initiate-call-scenario-completed');
      await page.getByTestId('initiate-call-talk-seconds').fill('20');
      await page.getByTestId('initiate-call-submit').click();
      await page.waitForURL(/[?&]call=/);
      const callId = new URL(page.url()).searchParams.get('call');
      await page.locator('[data-testid="call-detail-panel"][data-open="true"]').waitFor();

      // The panel reloads on every call:updated: wait for the stored recording's player.
      const audio = page.getByTestId('call-detail-audio');
      const deadline = Date.now() + STATUS_TIMEOUT_MS;
      while (!(await audio.count())) {
        assert.ok(Date.now() < deadline, 'the recording was stored in time');
        await page.waitForTimeout(1000);
        await page.getByTestId('call-detail-refresh').click();
      }
      // It plays: the browser loaded the WAV through the signed URL and knows its length.
      const duration = await audio.evaluate(
        (/** @type {HTMLAudioElement} */ element) =>
          new Promise((resolve, reject) => {
            if (element.readyState >= 1) return resolve(element.duration);
            element.addEventListener('loadedmetadata', () => resolve(element.duration));
            element.addEventListener('error', () => reject(new Error('the audio did not load')));
          }),
      );
      assert.ok(Math.abs(duration - 20) < 0.5, `the recording lasts 20 s (got ${duration})`);
      assert.match(await page.getByTestId('call-detail-summary').innerText(), /SMS reminder/);
      const turns = await page.getByTestId('transcript-turn').allInnerTexts();
      assert.ok(turns.length >= 3, `the transcript has turns (got ${turns.length})`);
      assert.match(turns[0], /Agent\s+0:00\s+Hello/);
      await page.getByTestId('call-detail-finalizing').waitFor({ state: 'detached' });
      await screenshot('outcomes-01-call-detail');

      // Its history row says it has a recording and a transcript.
      await page.getByTestId('call-detail-close').click();
      await page.getByTestId('call-detail-panel').waitFor({ state: 'detached' });
      await page.getByTestId('history-refresh').click();
      const row = page.locator(`[data-testid="call-row"][data-call-id="${callId}"]`);
      await row.getByTestId('call-has-recording').waitFor();
      await row.getByTestId('call-has-transcript').waitFor();
      await screenshot('outcomes-02-history-row');

      // A word said on the call, typed in the history's search box, finds it: the URL keeps the
      // words and every row listed is one the server found by them.
      const word = 'Delivery';
      assert.match(turns.join(' '), /delivery/, 'the word is said on the call');
      const search = page.getByTestId('history-filter-search');
      await search.fill(word.toLowerCase());
      await page.waitForURL((url) => url.searchParams.get('q') === word.toLowerCase());
      await row.waitFor();
      const found = await page.getByTestId('call-row').count();
      const listed = await apiGet(page, `/api/calls?q=${encodeURIComponent(word)}&limit=200`);
      assert.equal(found, Math.min(listed.items.length, 50), 'the rows are the server’s results');
      await screenshot('outcomes-03-history-transcript-search');

      // The contact's name finds the contact's calls, and only theirs.
      await search.fill('Asha');
      await page.waitForURL((url) => url.searchParams.get('q') === 'Asha');
      await row.waitFor();
      const contacts = await page.getByTestId('call-contact').allInnerTexts();
      assert.ok(contacts.length >= 1, 'calls of Asha Rao are listed');
      assert.equal(
        await page.getByTestId('call-row').count(),
        contacts.length,
        'every row found by the name is a contact’s call',
      );
      for (const name of contacts) assert.match(name, /Asha Rao/);

      // A word said on no call: the "no match" state, not the whole history.
      await search.fill('zyxwvutsrq');
      await page.getByTestId('history-no-match').waitFor();
      await screenshot('outcomes-04-history-no-match');

      // The contact's recent calls show each call's summary, at desktop and phone widths.
      await page.getByTestId('nav-contacts').click();
      await page.getByTestId('contacts-search').fill('Asha Rao');
      await page.getByTestId('contact-row').filter({ hasText: 'Asha Rao' }).first().click();
      const summary = page.getByTestId('contact-detail-call-summary').first();
      await summary.waitFor();
      assert.match(await summary.innerText(), /SMS reminder/);
      await settled(page);
      await screenshot('outcomes-05-contact-calls-desktop');
      await page.setViewportSize({ width: 390, height: 844 });
      await settled(page);
      await screenshot('outcomes-06-contact-calls-phone');
    },
  },
];
