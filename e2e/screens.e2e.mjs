// @ts-check
// The pages issue 14 and 15 changed, as the seeded owner would see them, at desktop (1280) and
// phone (390) widths, with an en-GB browser: money in the organization's currency to the cent (the
// header chip, the wallet and the dashboard tile read alike), dates day-first on a 24-hour clock.
// At 390 the history, contacts, wallet transactions and rates tables are cards (no sideways
// scrolling; number, status, amount and price in view).
// Screenshots: e2e/artifacts/screens-<page>-<width>.png.
import assert from 'node:assert/strict';

/**
 * The tables that turn into cards on phones, with the cells a card must show.
 * @type {Record<string, [string, string[]]>}
 */
const CARDS = {
  history: ['history-table', ['call-to', 'call-cost']],
  contacts: ['contacts-table', ['contact-name', 'contact-phone']],
  wallet: ['wallet-transactions-table', ['transaction-kind', 'transaction-balance-after']],
  rates: ['rates-table', ['rate-source']],
};

const PAGES = [
  ['dashboard', '/dashboard', 'dashboard-tile-balance'],
  ['wallet', '/wallet', 'wallet-available'],
  ['history', '/history', null],
  ['contacts', '/contacts', null],
  ['billing', '/billing', 'billing-total-spend'],
  ['rates', '/billing?tab=rates', 'rates-table'],
  ['users', '/admin/users', 'org-time-zone'],
  ['do-not-call', '/admin/do-not-call', null],
  ['webhook-events', '/admin/webhook-events', null],
];

export const tests = [
  {
    name: 'the changed pages at 1280 and 390 wide, en-GB, with one reading of the balance',
    /** @param {{ browser: import('playwright-core').Browser, baseUrl: string }} t */
    async run({ browser, baseUrl }) {
      for (const width of [1280, 390]) {
        const context = await browser.newContext({
          viewport: { width, height: width > 600 ? 850 : 844 },
          locale: 'en-GB',
          timezoneId: 'Europe/London',
        });
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        try {
          await page.goto(`${baseUrl}/login`);
          await page.getByTestId('login-email').fill('admin@demo.test');
          await page.getByTestId('login-password').fill('switchboard-admin');
          await page.getByTestId('login-submit').click();
          await page.waitForURL(/\/dashboard/);
          for (const [name, path, ready] of PAGES) {
            await page.goto(`${baseUrl}${path}`);
            if (ready) await page.getByTestId(ready).first().waitFor();
            await page.waitForLoadState('networkidle');
            const card = CARDS[String(name)];
            if (card && width < 600 && (await page.getByTestId(card[0]).count())) {
              const [table, cells] = card;
              const layout = await page.getByTestId(table).evaluate((element) => {
                const row = element.querySelector('tr.mat-mdc-row');
                const header = element.querySelector('tr.mat-mdc-header-row');
                return {
                  row: row ? globalThis.getComputedStyle(row).display : null,
                  header: header ? globalThis.getComputedStyle(header).display : null,
                  overflow: element.getBoundingClientRect().width > globalThis.innerWidth,
                };
              });
              assert.equal(layout.row, 'grid', `${name}: rows are cards at ${width}`);
              assert.equal(layout.header, 'none', `${name}: no column headers on cards`);
              assert.equal(layout.overflow, false, `${name}: nothing scrolls sideways`);
              for (const cell of cells) {
                const box = await page.getByTestId(cell).first().boundingBox();
                assert.ok(
                  box && box.x >= 0 && box.x + box.width <= width,
                  `${name}: ${cell} in view`,
                );
              }
            }
            await page.screenshot({
              path: new URL(`./artifacts/screens-${name}-${width}.png`, import.meta.url).pathname,
              fullPage: true,
            });
          }
          if (width > 600) {
            await page.goto(`${baseUrl}/wallet`);
            const chip = (await page.getByTestId('shell-balance').innerText()).replace(/\W+$/, '');
            await page.getByTestId('wallet-available').filter({ hasText: '$' }).waitFor();
            const available = await page.getByTestId('wallet-available').innerText();
            const amount = /\$[\d,]+\.\d\d\b/.exec(chip)?.[0];
            assert.ok(amount, `the chip shows an amount to the cent: ${chip}`);
            assert.ok(available.includes(amount), `${available} reads like the chip's ${amount}`);
            await page.goto(`${baseUrl}/dashboard`);
            // The tile reads the same amount once the wallet is loaded (fails on timeout otherwise).
            await page.getByTestId('dashboard-tile-balance').filter({ hasText: amount }).waitFor();
          }
        } finally {
          await context.close();
        }
      }
    },
  },
];
