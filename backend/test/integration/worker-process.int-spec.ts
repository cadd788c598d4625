import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

const WORKER = join(__dirname, '..', '..', 'dist', 'worker.js');

/** Inodes of the TCP sockets a process is listening on, read from /proc. */
function listeningSockets(pid: number): string[] {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`)
      .map((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          return '';
        }
      })
      .map((link) => /^socket:\[(\d+)\]$/.exec(link)?.[1])
      .filter((inode): inode is string => Boolean(inode)),
  );
  const listening: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      // column 3 is the state (0A = LISTEN), column 9 the inode
      if (columns[3] === '0A' && inodes.has(columns[9])) listening.push(columns[1]);
    }
  }
  return listening;
}

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; output:\n${seen}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}

describe('worker process', () => {
  it('starts without an HTTP listener and exits cleanly on SIGTERM', async () => {
    const worker = spawn(process.execPath, [WORKER], {
      env: { ...process.env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      worker.on('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      await waitForOutput(worker, /Switchboard worker ready/, 20000);
      expect(listeningSockets(worker.pid!)).toEqual([]);

      const started = Date.now();
      worker.kill('SIGTERM');
      const result = await exited;
      expect(result).toEqual({ code: 0, signal: null });
      expect(Date.now() - started).toBeLessThan(10000);
    } finally {
      if (worker.exitCode === null) worker.kill('SIGKILL');
    }
  });

  it('refuses to start with a malformed variable and names it', async () => {
    const worker = spawn(process.execPath, [WORKER], {
      env: { ...process.env, DATABASE_URL: 'mysql://nope' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    worker.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => worker.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('DATABASE_URL must be a postgres:// URL');
  });
});
