// @ts-check
// A private PostgreSQL cluster and a private Redis on free ports, owned by one benchmark run, so that
// it can crash and restart them without disturbing the machine's shared services.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

/**
 * A TCP port nobody listens on right now (the kernel's choice).
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

function postgresBin() {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((name) => existsSync(join(base, name, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) throw new Error(`no PostgreSQL server binaries under ${base}`);
  return join(base, versions[0], 'bin');
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user. */
/**
 * @param {string} command
 * @param {string[]} args
 * @returns {[string, string[]]}
 */
function asPostgres(command, args) {
  return process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
    : [command, args];
}

/** @param {string} command @param {string[]} args @param {string} what */
function run(command, args, what) {
  const [cmd, argv] = asPostgres(command, args);
  const result = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${what} failed (${result.status}): ${result.stderr || result.stdout}`);
  return result.stdout;
}

/**
 * initdb + pg_ctl start in `directory` (created, owned by postgres when run as root), listening on
 * 127.0.0.1:`port` with trust authentication. fsync is off: the run crashes processes, never the
 * machine, and a killed process loses nothing the kernel already has; synchronous_commit stays on
 * so that a committed transaction survives an immediate (crash) shutdown.
 */
export function startPostgres(
  /** @type {{ directory: string, port: number }} */ { directory, port },
) {
  const bin = postgresBin();
  const data = join(directory, 'data');
  const sockets = join(directory, 'sockets');
  mkdirSync(sockets, { recursive: true });
  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresIds();
    chownSync(directory, uid, gid);
    chownSync(sockets, uid, gid);
  }
  run(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
    'initdb',
  );
  const options = [
    `-c port=${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${sockets}`,
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c shared_buffers=64MB',
    '-c max_connections=200',
  ].join(' ');
  const log = join(directory, 'postgres.log');
  /** @param {string[]} args @param {string} what */
  const ctl = (args, what) => run(join(bin, 'pg_ctl'), ['-D', data, ...args], what);
  const start = () => ctl(['-o', options, '-l', log, '-w', '-t', '60', 'start'], 'pg_ctl start');
  start();
  return {
    /** @param {string} database */
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    log,
    /** A crash: every backend killed at once (immediate mode), then crash recovery on start. */
    crashAndRestart() {
      ctl(['-m', 'immediate', '-w', 'stop'], 'pg_ctl stop -m immediate');
      start();
    },
    stop() {
      try {
        ctl(['-m', 'immediate', '-w', 'stop'], 'pg_ctl stop');
      } catch {
        // already stopped
      }
    },
  };
}

function postgresIds() {
  /** @param {string} flag */
  const id = (flag) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout);
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * A Redis child process on `port`, configured as production should be for BullMQ (AOF fsynced every
 * second, noeviction) unless `persistent` is false (nothing survives a restart).
 */
export function startRedis(
  /** @type {{ directory: string, port: number, persistent?: boolean }} */ {
    directory,
    port,
    persistent = true,
  },
) {
  mkdirSync(directory, { recursive: true });
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    directory,
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    ...(persistent ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no']),
  ];
  /** @type {import('node:child_process').ChildProcessByStdio<null, import('node:stream').Readable, import('node:stream').Readable> | null} */
  let child = null;
  const launch = () =>
    /** @type {Promise<void>} */ (
      new Promise((resolve, reject) => {
        const launched = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
        child = launched;
        let output = ''; // the line may arrive split across chunks
        /** @param {Buffer} chunk */
        const ready = (chunk) => {
          output += chunk.toString();
          if (output.includes('Ready to accept connections')) {
            launched.stdout.off('data', ready);
            launched.stdout.resume();
            resolve();
          }
        };
        launched.stdout.on('data', ready);
        launched.stderr.resume();
        launched.once('error', reject);
        launched.once('exit', (code) =>
          reject(new Error(`redis-server exited (${code}): ${output}`)),
        );
      })
    );
  const kill = () =>
    /** @type {Promise<void>} */ (
      new Promise((resolve) => {
        const running = child;
        if (!running || running.exitCode !== null || running.signalCode !== null) return resolve();
        running.once('exit', () => resolve());
        running.kill('SIGKILL');
      })
    );
  return launch().then(() => ({
    url: `redis://127.0.0.1:${port}`,
    /** SIGKILL (a crash: whatever was not yet in the AOF is gone), then start again on the same port. */
    async crashAndRestart(downMs = 1000) {
      await kill();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await launch();
    },
    stop: kill,
  }));
}
