#!/usr/bin/env node
// @ts-check
// A/B of two variants of the product under one benchmark, alternated run by run (A B, B A, A B, …)
// so that the machine's drift, and whatever the run before leaves behind, falls on both alike. A variant is a set of environment assignments given
// to the benchmark, which passes its environment on to the api and worker processes it starts.
//   node bench/ab.mjs [--runs 5] [--a "NAME=value …"] [--b "NAME=value …"] -- bench/billing.mjs --calls 4000
//   node bench/ab.mjs --b HOT_PATH_SIMPLE=commitWrites -- bench/realtime-latency.mjs --rate 500
// Prints each run's headline figures (billing: events/s of each scenario; realtime: p50, p99 and
// events missing), then the mean and median of each variant and B's difference from A in %. Each
// run's full output goes to a log file (named at the start). Needs `npm run build -w backend`.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from './lib/args.mjs';
import { root } from './lib/environment.mjs';

/**
 * @typedef {{ name: string, higherIsBetter: boolean }} Figure
 * @typedef {{ figures: Figure[], read: (output: string) => (number | undefined)[] }} Headline
 */

/** The headline figures of each benchmark this script knows, read from its printed output. */
/** @type {Record<string, Headline>} */
const HEADLINES = {
  'billing.mjs': {
    figures: [
      { name: '100 wallets events/s', higherIsBetter: true },
      { name: '1 hot wallet events/s', higherIsBetter: true },
    ],
    read: (output) =>
      ['100 wallets', '1 hot wallet'].map((label) => {
        const row = output.split('\n').find((line) => line.startsWith(`${label} `));
        return row === undefined ? undefined : Number(row.split('|')[3]);
      }),
  },
  'realtime-latency.mjs': {
    figures: [
      { name: 'p50 ms', higherIsBetter: false },
      { name: 'p99 ms', higherIsBetter: false },
      { name: 'missing', higherIsBetter: false },
    ],
    read: (output) => {
      const latency = /^p50 ([\d.]+) ms · p90 [\d.]+ ms · p99 ([\d.]+) ms/m.exec(output);
      const missing = /missing (-?\d+)/.exec(output);
      return [latency?.[1], latency?.[2], missing?.[1]].map((text) =>
        text === undefined ? undefined : Number(text),
      );
    },
  },
};

const separator = process.argv.indexOf('--');
if (separator < 0 || separator === process.argv.length - 1) {
  console.error(
    'usage: node bench/ab.mjs [--runs 5] [--a "NAME=value …"] [--b "NAME=value …"] -- bench/<script>.mjs [its arguments]',
  );
  process.exit(2);
}
const options = parseArgs(process.argv.slice(2, separator));
const [script, ...scriptArgs] = process.argv.slice(separator + 1);
const headline = HEADLINES[basename(script)];
if (!headline)
  throw new Error(`no headline figures known for ${script}: ${Object.keys(HEADLINES).join(', ')}`);
const RUNS = options.number('runs', 5);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs must be a positive integer');

/**
 * `NAME=value NAME2=value2` as an environment; an empty string is no assignment at all.
 * @param {string} text
 * @returns {Record<string, string>}
 */
function assignments(text) {
  /** @type {Record<string, string>} */
  const env = {};
  for (const pair of text.split(/\s+/).filter(Boolean)) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!match) throw new Error(`not an environment assignment: ${pair}`);
    env[match[1]] = match[2];
  }
  return env;
}

const variants = ['a', 'b'].map((name) => {
  const text = options.string(name, '');
  return { label: name.toUpperCase(), text, env: assignments(text) };
});
const logs = mkdtempSync(join(tmpdir(), 'switchboard-ab-'));
console.log(`A/B of ${script} ${scriptArgs.join(' ')}, ${RUNS} run(s) of each, alternated`);
for (const { label, text } of variants) console.log(`  ${label}: ${text || '(nothing set)'}`);
console.log(`  each run's output: ${logs}/<run>-<variant>.log\n`);

/**
 * Runs the benchmark once with a variant's environment; its output goes to `logFile`.
 * @param {Record<string, string>} env
 * @param {string} logFile
 * @returns {Promise<string>} what it printed on stdout
 */
function runOnce(env, logFile) {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile);
    const child = spawn(process.execPath, [script, ...scriptArgs], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      log.write(chunk);
    });
    child.stderr.on('data', (chunk) => log.write(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      log.end();
      if (code === 0) resolve(stdout);
      else reject(new Error(`${script} exited with ${code}: see ${logFile}`));
    });
  });
}

/** @param {(number | undefined)[]} values */
const show = (values) =>
  values
    .map((value, index) => `${headline.figures[index].name} ${value === undefined ? 'n/a' : value}`)
    .join(' · ');

/** @type {number[][][]} figures of each run, by variant then figure */
const figures = variants.map(() => headline.figures.map(() => []));
for (let run = 1; run <= RUNS; run += 1) {
  const order = run % 2 === 1 ? [0, 1] : [1, 0];
  for (const index of order) {
    const variant = variants[index];
    const output = await runOnce(variant.env, join(logs, `${run}-${variant.label}.log`));
    const values = headline.read(output);
    values.forEach((value, figure) => {
      if (value !== undefined && Number.isFinite(value)) figures[index][figure].push(value);
    });
    console.log(`run ${run} ${variant.label}: ${show(values)}`);
  }
}

/** @param {number[]} values */
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
/** @param {number[]} values */
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
/** @param {number} value */
const round = (value) => (Number.isFinite(value) ? Number(value.toPrecision(4)) : 'n/a');
/**
 * B's difference from A, in %, and whether that is better or worse for this figure.
 * @param {number} a
 * @param {number} b
 * @param {boolean} higherIsBetter
 */
const difference = (a, b, higherIsBetter) => {
  if (!Number.isFinite(a) || !Number.isFinite(b) || a === 0) return 'n/a';
  const percent = ((b - a) / a) * 100;
  const better = higherIsBetter ? percent > 0 : percent < 0;
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(1)} % (${percent === 0 ? 'same' : better ? 'B better' : 'B worse'})`;
};

console.log('\nfigure | A mean | A median | B mean | B median | B vs A (mean) | B vs A (median)');
headline.figures.forEach(({ name, higherIsBetter }, figure) => {
  const [a, b] = [figures[0][figure], figures[1][figure]];
  console.log(
    [
      name,
      round(mean(a)),
      round(median(a)),
      round(mean(b)),
      round(median(b)),
      difference(mean(a), mean(b), higherIsBetter),
      difference(median(a), median(b), higherIsBetter),
    ].join(' | '),
  );
});
