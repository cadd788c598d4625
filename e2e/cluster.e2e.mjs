// @ts-check
// `npm run cluster` seen from a browser: 2 api nodes + 2 workers behind nginx, started here on a
// database and Redis prefix of their own. The admin's browser talks to api A only; every webhook of
// the call it places reaches api B only (the simulator's PUBLIC_BASE_URL is a forwarder to api B,
// standing where a provider's network path would). The call must still change status live in the
// browser on api A, with no reload and no refresh: api B stores the webhooks, a worker processes
// them, and the event reaches api A's socket through the Redis adapter.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../bench/lib/private-services.mjs';
import { removeScratchEnvironment } from '../scripts/lib/scratch-environment.mjs';
import { choose, signIn } from './lib/console.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BOOT_TIMEOUT_MS = 180_000;
const STATUS_TIMEOUT_MS = 30_000;

/** An HTTP forwarder whose target is set later; it counts what it passed on, by target. */
function startForwarder() {
  /** @type {Map<string, number>} */
  const forwarded = new Map();
  /** @type {string | undefined} */
  let target;
  const server = http.createServer((incoming, answer) => {
    if (!target) {
      // Not ready yet: like an unreachable endpoint, the simulator retries with backoff.
      answer.writeHead(503).end('no target yet');
      return;
    }
    const to = target;
    const outgoing = http.request(
      new URL(incoming.url ?? '/', to),
      { method: incoming.method, headers: incoming.headers },
      (response) => {
        forwarded.set(to, (forwarded.get(to) ?? 0) + 1);
        answer.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(answer);
      },
    );
    outgoing.on('error', () => answer.writeHead(502).end());
    incoming.pipe(outgoing);
  });
  return {
    forwarded,
    /** @param {string} url */
    setTarget: (url) => (target = url),
    /** @param {number} port @returns {Promise<void>} */
    listen: (port) => new Promise((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * @typedef {{
 *   child: import('node:child_process').ChildProcess,
 *   exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>,
 *   apis: string[],
 *   output: () => string,
 * }} Cluster
 */

/**
 * Starts `npm run cluster`'s script (already built) and resolves with its api nodes' URLs.
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<Cluster>}
 */
async function startCluster(env) {
  const child = spawn(
    process.execPath,
    [join(root, 'scripts/start.mjs'), '--cluster', '--no-build'],
    {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  for (;;) {
    const apis = [...output.matchAll(/\[cluster\] api-\d on (http:\/\/\S+)/g)].map(
      ([, url]) => url,
    );
    if (apis.length === 2) {
      const ready = await Promise.all(
        apis.map((url) =>
          fetch(`${url}/health/ready`).then(
            (response) => response.ok,
            () => false,
          ),
        ),
      );
      if (ready.every(Boolean)) return { child, exited, apis, output: () => output };
    }
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`npm run cluster did not start its 2 api nodes:\n${output.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** @param {Cluster} cluster */
async function stopCluster(cluster) {
  cluster.child.kill('SIGINT');
  const stopped = await Promise.race([
    cluster.exited,
    new Promise((resolve) => setTimeout(() => resolve(null), 15_000)),
  ]);
  if (!stopped) cluster.child.kill('SIGKILL');
  return stopped;
}

/** @type {import('./lib/console.mjs').E2eTest[]} */
export const tests = [
  {
    name: 'npm run cluster: a browser on api A sees, live, a call whose webhooks all went to api B',
    async run({ page, screenshot }) {
      const scratch = {
        DATABASE_URL: `postgres://postgres@127.0.0.1:5432/switchboard_e2e_cluster_${process.pid}`,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        REDIS_PREFIX: `sbe2e_cluster_${process.pid}`,
      };
      const forwarder = startForwarder();
      const forwarderPort = await freePort();
      await forwarder.listen(forwarderPort);
      let cluster;
      try {
        cluster = await startCluster({
          ...process.env,
          ...scratch,
          NODE_ENV: 'development',
          CLUSTER_PORT: String(await freePort()),
          PUBLIC_BASE_URL: `http://127.0.0.1:${forwarderPort}`,
          SIMULATOR_TIME_SCALE: '0.1',
          CALLING_HOURS: 'off', // it runs at any hour; e2e/run.mjs does the same for its product
          LOG_LEVEL: 'warn',
        });
        const [apiA, apiB] = cluster.apis;
        forwarder.setTarget(apiB);

        await signIn(page, apiA, 'admin');
        await page.locator('[data-testid="realtime-status"][data-status="connected"]').waitFor();

        await page.getByTestId('nav-history').click();
        await page.waitForURL(/\/history/);
        await page.evaluate(() => Object.assign(globalThis, { clusterNotReloaded: true }));
        await page.getByTestId('initiate-call-button').click();
        const provider = page.locator(
          '[data-testid="initiate-call-provider"][aria-disabled="false"]',
        );
        await provider.waitFor();
        await provider.click();
        await page.getByTestId('initiate-call-provider-simulator').click();
        await page.getByTestId('initiate-call-provider-simulator').waitFor({ state: 'detached' });
        await page.getByTestId('initiate-call-to').fill('+14155550100');
        await choose(page, 'initiate-call-scenario', 'initiate-call-scenario-completed');
        await page.getByTestId('initiate-call-talk-seconds').fill('20');
        await page.getByTestId('initiate-call-submit').click();
        await page.waitForURL(/[?&]call=/);
        const callId = new URL(page.url()).searchParams.get('call');
        await page.getByTestId('call-detail-close').click();
        await page.getByTestId('call-detail-panel').waitFor({ state: 'detached' });

        // No refresh from here on: the row must change by itself.
        const row = page.locator(`[data-testid="call-row"][data-call-id="${callId}"]`);
        await page
          .locator(`[data-testid="call-row"][data-call-id="${callId}"][data-status="completed"]`)
          .waitFor({ timeout: STATUS_TIMEOUT_MS });
        assert.equal((await row.getByTestId('call-duration').innerText()).trim(), '0:20');
        const notReloaded = await page.evaluate(() => 'clusterNotReloaded' in globalThis);
        assert.equal(notReloaded, true, 'no reload');
        assert.ok(page.url().startsWith(apiA), 'the browser stayed on api A');
        await screenshot('cluster-01-api-a-sees-call-completed');

        // Every webhook of the call went to api B (initiated, ringing, in progress, completed).
        assert.deepEqual([...forwarder.forwarded.keys()], [apiB]);
        const toApiB = forwarder.forwarded.get(apiB) ?? 0;
        assert.ok(toApiB >= 4, `${toApiB} webhooks reached api B`);

        const stopped = await stopCluster(cluster);
        cluster = undefined;
        assert.deepEqual(stopped, { code: 0, signal: null }, 'Ctrl-C stops the cluster cleanly');
      } finally {
        if (cluster) await stopCluster(cluster);
        await forwarder.close();
        await removeScratchEnvironment(scratch).catch(() => {});
      }
    },
  },
];
