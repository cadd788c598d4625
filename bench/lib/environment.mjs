// @ts-check
// Shared set-up for benchmarks: a throw-away database and Redis prefix, the product's processes, machine facts.
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';
import { removeScratchEnvironment } from '../../scripts/lib/scratch-environment.mjs';

/**
 * The environment of the product processes a benchmark starts.
 * @typedef {{ DATABASE_URL: string, REDIS_URL: string, REDIS_PREFIX: string } & Record<string, string>} BenchEnv
 */

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function machine() {
  return `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

/**
 * The machine's own speed, measured before a benchmark starts (nothing else running): figures from
 * two machines compare only alongside these. A fixed CPU loop; sequential round trips to
 * PostgreSQL (`SELECT 1`) and Redis (`PING`), which show what a syscall and a wake-up cost.
 */
/** @param {BenchEnv} env */
export async function calibrate(env) {
  const cpu = [];
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    let sum = 0;
    for (let i = 0; i < 50_000_000; i += 1) sum = (sum + i * 7) % 1_000_003;
    if (sum < 0) throw new Error('unreachable'); // keeps the loop from being optimized away
    cpu.push(performance.now() - started);
  }
  /** @param {number[]} values */
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  /** @param {number} count @param {() => Promise<unknown>} once */
  const timeEach = async (count, once, idleMs = 0) => {
    const times = [];
    for (let i = 0; i < count; i += 1) {
      if (idleMs) await new Promise((resolve) => setTimeout(resolve, idleMs));
      const started = performance.now();
      await once();
      times.push(performance.now() - started);
    }
    return median(times);
  };
  const url = new URL(env.DATABASE_URL);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const pgMs = await timeEach(300, () => client.query('SELECT 1'));
  // After an idle moment both sides must be woken up: what a hop costs at a low rate.
  const pgIdleMs = await timeEach(100, () => client.query('SELECT 1'), 5);
  await client.end();
  const redis = new Redis(env.REDIS_URL);
  const redisMs = await timeEach(300, () => redis.ping());
  redis.disconnect();
  return `calibration: CPU loop ${median(cpu).toFixed(0)} ms · PostgreSQL SELECT 1 p50 ${pgMs.toFixed(2)} ms back to back, ${pgIdleMs.toFixed(2)} ms after 5 ms idle · Redis PING p50 ${redisMs.toFixed(2)} ms`;
}

/**
 * A throw-away database and Redis prefix of this run.
 * @param {string} name
 * @returns {BenchEnv}
 */
export function benchEnvironment(name) {
  const suffix = `${name}_${process.pid}`;
  return {
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/switchboard_bench_${suffix}`,
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `sbbench_${suffix}`,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
  };
}

/** @param {Record<string, string>} env */
export function migrate(env) {
  const result = spawnSync(process.execPath, [join(root, 'backend/dist/database/cli.js'), 'run'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0)
    throw new Error('migrations failed: run `npm run build -w backend` first');
  // To measure what a piece of the schema costs (e.g. drop an index or a trigger in the scratch
  // database only): SQL run after the migrations.
  const extra = process.env.BENCH_AFTER_MIGRATE_SQL;
  if (extra) {
    const applied = spawnSync('psql', [env.DATABASE_URL, '-v', 'ON_ERROR_STOP=1', '-qc', extra], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (applied.status !== 0) throw new Error('BENCH_AFTER_MIGRATE_SQL failed');
  }
}

/**
 * @param {string} script the compiled entry point
 * @param {Record<string, string>} env added to this process's environment
 * @param {string} label
 * @param {{ memoryProbe?: boolean }} [options] memoryProbe: the process runs with `--expose-gc`,
 *   `bench/lib/memory-probe.mjs` preloaded and an IPC channel, so that `memoryOf` can ask it for
 *   its heap after a full collection (benchmarks only: the product never runs so)
 */
export function startProcess(script, env, label, options = {}) {
  const probe = options.memoryProbe
    ? ['--expose-gc', '--import', pathToFileURL(join(root, 'bench/lib/memory-probe.mjs')).href]
    : [];
  const child = spawn(process.execPath, [...probe, script], {
    env: { ...process.env, ...env },
    stdio: options.memoryProbe
      ? ['ignore', 'ignore', 'inherit', 'ipc']
      : ['ignore', 'ignore', 'inherit'],
  });
  return Object.assign(child, { label });
}

let probeRequests = 0;

/**
 * The memory of a process started with `memoryProbe`, after a full garbage collection (twice),
 * in MiB: resident, heap used, heap total, external (Buffers, ArrayBuffers) and how long the
 * collection held the process (ms).
 * @param {import('node:child_process').ChildProcess} child
 * @returns {Promise<{ rssMiB: number, heapUsedMiB: number, heapTotalMiB: number, externalMiB: number, gcMs: number }>}
 */
export function memoryOf(child, timeoutMs = 30_000) {
  const id = (probeRequests += 1);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`${/** @type {any} */ (child).label ?? 'process'}: no memory answer`));
    }, timeoutMs);
    /** @param {any} message */
    const onMessage = (message) => {
      if (message?.type !== 'memory' || message.id !== id) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      if (!message.collected) reject(new Error('the process runs without --expose-gc'));
      const mib = (/** @type {number} */ bytes) => bytes / 2 ** 20;
      resolve({
        rssMiB: mib(message.rss),
        heapUsedMiB: mib(message.heapUsed),
        heapTotalMiB: mib(message.heapTotal),
        externalMiB: mib(message.external),
        gcMs: message.gcMs,
      });
    };
    child.on('message', onMessage);
    child.send({ type: 'memory', id });
  });
}

/**
 * Asks a process started with `memoryProbe` something and waits for its answer.
 * @param {import('node:child_process').ChildProcess} child
 * @param {string} type the question, and the type of its answer
 * @param {Record<string, unknown>} [fields]
 * @returns {Promise<any>}
 */
function askProbe(child, type, fields = {}, timeoutMs = 300_000) {
  const id = (probeRequests += 1);
  const answer = type.startsWith('profile') ? 'profile' : type;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${type}`)), timeoutMs);
    /** @param {any} message */
    const onMessage = (message) => {
      if (message?.type !== answer || message.id !== id) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.send({ type, id, ...fields });
  });
}

/**
 * A heap snapshot of a process started with `memoryProbe`, written to `path` (Chrome DevTools'
 * Memory tab compares two). Holds the process for seconds: for finding a leak, not for figures.
 * @param {import('node:child_process').ChildProcess} child
 * @param {string} path
 */
export const heapSnapshotOf = (child, path) => askProbe(child, 'snapshot', { path });

/**
 * Starts, then stops and writes to `path`, a CPU profile of a process started with `memoryProbe`
 * (the sampling slows it: for finding where time goes, not for figures).
 * @param {import('node:child_process').ChildProcess} child
 */
export const startCpuProfile = (child) => askProbe(child, 'profile-start');
/** @param {import('node:child_process').ChildProcess} child @param {string} path */
export const stopCpuProfile = (child, path) => askProbe(child, 'profile-stop', { path });

/** @param {string} url */
export async function waitForHttp(url, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not come up`);
}

/** @param {import('node:child_process').ChildProcess | undefined} child */
export async function stop(child) {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

export { removeScratchEnvironment as cleanUp };

/** @param {number | undefined} value */
export const fmt = (value, digits = 1) =>
  value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
