import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** Runs bench/chaos.mjs (its own PostgreSQL and Redis, 2 api + 2 worker processes from dist/). */
function chaosRun(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench', 'chaos.mjs'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('chaos run (short)', () => {
  it('loses, duplicates and double-charges nothing while a worker, an api node, Redis and PostgreSQL crash', async () => {
    const { code, output } = await chaosRun(['--calls', '500', '--short']);
    if (code !== 0) console.log(output); // the run's own report says what went wrong
    expect(output).toMatch(/SIGKILL worker-\d/);
    expect(output).toMatch(/SIGKILL api-\d/);
    expect(output).toMatch(/Redis crashed/);
    expect(output).toMatch(/PostgreSQL crashed/);
    expect(output).toMatch(/webhooks: \d+ deliveries \(\d+ events × 3, shuffled\)/);
    expect(output).toContain('PASS: 0 lost, 0 duplicated, 0 double-charged');
    expect(code).toBe(0);
  }, 900_000); // about 2.5 min on an idle machine; 9 min seen with the machine shared
});
