#!/usr/bin/env node
// @ts-check
// The console's initial JavaScript: what dist/browser/index.html loads before the first route
// (its module scripts and modulepreloads, and every chunk those import statically), with raw
// and gzip sizes. Fails when either exceeds its budget, so `npm run build` fails with it.
// Angular's own "initial" budget counts the same chunks plus the global styles; this script
// measures the JavaScript alone and gzips it the way a server would (level 9), which is the
// figure the budget is about.
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// Issue 14's budget (docs/benchmarks.md "Console: initial JavaScript" says what is in these bytes
// and what was done to get under them).
export const BUDGET = { raw: 300_000, gzip: 90_000 };

/**
 * The initial chunks of a build: the entry scripts and modulepreloads named by index.html,
 * closed over their static imports (`import … from "./chunk.js"`, `export … from`, bare
 * `import "./chunk.js"`); dynamic `import()` is lazy and not followed.
 * @param {string} browserDir
 */
export function initialChunks(browserDir) {
  const html = readFileSync(join(browserDir, 'index.html'), 'utf8');
  const queue = [
    ...[...html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)].map(
      (m) => m[1],
    ),
  ];
  /** @type {Map<string, Buffer>} */
  const chunks = new Map();
  while (queue.length > 0) {
    const file = posix.normalize(/** @type {string} */ (queue.shift()));
    if (chunks.has(file)) continue;
    const source = readFileSync(join(browserDir, file));
    chunks.set(file, source);
    for (const m of source
      .toString('utf8')
      .matchAll(
        /(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g,
      )) {
      queue.push(posix.join(posix.dirname(file), m[1]));
    }
  }
  return chunks;
}

/** @param {Map<string, Buffer>} chunks */
export function measure(chunks) {
  const all = Buffer.concat([...chunks.values()]);
  let gzipEach = 0;
  for (const source of chunks.values()) gzipEach += gzipSync(source, { level: 9 }).length;
  return { raw: all.length, gzip: gzipEach };
}

const kB = (/** @type {number} */ bytes) => `${(bytes / 1000).toFixed(1)} kB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const browserDir =
    process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../dist/browser');
  const chunks = initialChunks(browserDir);
  for (const [file, source] of chunks) {
    console.log(
      `  ${file.padEnd(28)} ${kB(source.length).padStart(10)} ${kB(gzipSync(source, { level: 9 }).length).padStart(10)} gzip`,
    );
  }
  const { raw, gzip } = measure(chunks);
  const ok = raw <= BUDGET.raw && gzip <= BUDGET.gzip;
  console.log(
    `Initial JavaScript: ${kB(raw)} raw (budget ${kB(BUDGET.raw)}), ${kB(gzip)} gzipped (budget ${kB(BUDGET.gzip)}), ${chunks.size} files: ${ok ? 'within budget' : 'OVER BUDGET'}`,
  );
  if (!ok) process.exitCode = 1;
}
