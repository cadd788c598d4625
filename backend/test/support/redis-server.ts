import { ChildProcess, spawn } from 'node:child_process';

/** A private Redis for one test file, so stopping it disturbs nothing else on the machine. */
export function startRedis(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    redis.once('error', reject);
    let output = ''; // the line may arrive split across chunks
    redis.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve(redis);
    });
    redis.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
}

/** Kills it (SIGKILL: no shutdown, like a crash); a Redis already stopped stays stopped. */
export const stopRedis = (redis: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (redis.exitCode !== null || redis.signalCode !== null) return resolve();
    redis.once('exit', () => resolve());
    redis.kill('SIGKILL');
  });
