#!/usr/bin/env node
// @ts-check
// End-to-end tests: Playwright (playwright-core) driving the system's Chromium against the running product.
// Without E2E_BASE_URL it starts Switchboard itself (built already: `npm run build`) on its own port,
// database and Redis prefix, and removes them afterwards. Screenshots go to e2e/artifacts/.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { removeScratchEnvironment } from '../scripts/lib/scratch-environment.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * @param {string} baseUrl
 * @param {import('node:child_process').ChildProcess | undefined} product the product this run started, if any
 */
async function waitForReady(baseUrl, product, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (product && product.exitCode !== null)
      throw new Error('Switchboard exited before it was ready');
    try {
      const response = await fetch(`${baseUrl}/health/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`Switchboard was not ready at ${baseUrl} within ${timeoutMs / 1000} s`);
}

let baseUrl = process.env.E2E_BASE_URL;
/** @type {import('node:child_process').ChildProcess | undefined} */
let product;
const scratch = {
  DATABASE_URL: `postgres://postgres@127.0.0.1:5432/switchboard_e2e_${process.pid}`,
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_PREFIX: `sbe2e_${process.pid}`,
};
if (!baseUrl) {
  const port = process.env.E2E_PORT ?? '3100';
  baseUrl = `http://127.0.0.1:${port}`;
  product = spawn(process.execPath, [join(root, 'scripts/start.mjs'), '--no-build'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: port,
      PUBLIC_BASE_URL: baseUrl,
      ...scratch,
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
      // Simulated calls play ten times faster than real time (talk time is still reported in full).
      SIMULATOR_TIME_SCALE: process.env.SIMULATOR_TIME_SCALE ?? '0.1',
      // The scenarios dial US numbers at whatever hour the run happens: calling hours off.
      CALLING_HOURS: process.env.CALLING_HOURS ?? 'off',
      // Every scenario signs in (17 of them within a minute or two from one address): the per-IP
      // sign-in limit of 10 a minute would refuse the later ones.
      LOGIN_RATE_LIMIT_PER_MINUTE: process.env.LOGIN_RATE_LIMIT_PER_MINUTE ?? '1000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

const results = [];
let browser;
try {
  await waitForReady(baseUrl, product);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const only = process.argv[2];
  const specs = readdirSync(here)
    .filter((file) => file.endsWith('.e2e.mjs') && (!only || file.includes(only)))
    .sort();
  for (const file of specs) {
    /** @type {{ tests: import('./lib/console.mjs').E2eTest[] }} */
    const { tests } = await import(pathToFileURL(join(here, file)).href);
    for (const test of tests) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 850 } });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const started = Date.now();
      try {
        await test.run({
          page,
          context,
          browser,
          baseUrl,
          screenshot: (/** @type {string} */ name) =>
            page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true }),
        });
        results.push({ name: `${file} › ${test.name}`, ok: true, ms: Date.now() - started });
        console.log(`  ✓ ${file} › ${test.name} (${Date.now() - started} ms)`);
      } catch (error) {
        results.push({ name: `${file} › ${test.name}`, ok: false, error });
        console.log(
          `  ✗ ${file} › ${test.name}\n    ${String(
            (error instanceof Error && error.stack) || error,
          )
            .split('\n')
            .join('\n    ')}`,
        );
        await page
          .screenshot({ path: join(artifacts, `FAILED-${test.name.replace(/\W+/g, '-')}.png`) })
          .catch(() => {});
      } finally {
        await context.close();
      }
    }
  }
} catch (error) {
  results.push({ name: 'setup', ok: false, error });
  console.error(error);
} finally {
  await browser?.close();
  if (product) {
    const started = product;
    started.kill('SIGTERM');
    await /** @type {Promise<void>} */ (
      new Promise((resolve) =>
        started.exitCode !== null ? resolve() : started.once('exit', () => resolve()),
      )
    );
    await removeScratchEnvironment(scratch).catch((error) =>
      console.error(`could not remove the e2e database and Redis keys: ${error}`),
    );
  }
}

const passed = results.filter((result) => result.ok).length;
const failed = results.length - passed;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
