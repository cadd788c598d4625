#!/usr/bin/env node
// `npm start`: check PostgreSQL and Redis, build, migrate, seed (not in production),
// then run the api and the worker side by side until Ctrl-C, starting again either one that dies.
// `npm run cluster` (--cluster [--api-nodes N] [--workers M]): the same preparation, then N api
// nodes and M workers behind nginx (scripts/lib/switchboard-processes.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCluster, runSingle } from './lib/switchboard-processes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env };
env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/switchboard';
env.REDIS_URL ??= 'redis://127.0.0.1:6379';
env.PORT ??= '3000';
const production = env.NODE_ENV === 'production';

function reachable(url, defaultPort) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || defaultPort) });
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

function optionValue(name) {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function run(label, command, args) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`✖ ${label} failed`);
    process.exit(result.status ?? 1);
  }
}

const problems = [];
if (!(await reachable(env.DATABASE_URL, 5432))) {
  problems.push(
    `PostgreSQL is not reachable at ${env.DATABASE_URL.replace(/:[^:@/]*@/, ':***@')}.\n` +
      '  Start it (Debian): pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n' +
      '  or with Docker:    docker compose -f docker/compose.yaml up -d postgres\n' +
      '  or set DATABASE_URL to your server.',
  );
}
if (!(await reachable(env.REDIS_URL, 6379))) {
  problems.push(
    `Redis is not reachable at ${env.REDIS_URL}.\n` +
      '  Start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379\n' +
      '  or with Docker: docker compose -f docker/compose.yaml up -d redis\n' +
      '  or set REDIS_URL to your server.',
  );
}
if (problems.length) {
  console.error(
    `Switchboard cannot start:\n\n${problems.join('\n\n')}\n\nSee README.md, "Prerequisites".`,
  );
  process.exit(1);
}

if (!process.argv.includes('--no-build')) {
  run('Building the backend', 'npm', ['run', 'build', '-w', 'backend']);
  run('Building the console', 'npm', ['run', 'build', '-w', 'frontend']);
} else if (!existsSync(join(root, 'backend/dist/main.js'))) {
  console.error('--no-build given but backend/dist is missing: run npm run build first.');
  process.exit(1);
}
const cli = join(root, 'backend/dist/database/cli.js');
run('Applying database migrations', process.execPath, [cli, 'run']);
if (!production)
  run('Seeding demo data (when the database is empty)', process.execPath, [cli, 'seed']);

const options = {
  root,
  env,
  production,
  apiNodes: Number(optionValue('--api-nodes') ?? 2),
  workers: Number(optionValue('--workers') ?? 2),
};
if (process.argv.includes('--cluster')) await runCluster(options);
else runSingle(options);
