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
    redis.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve(redis);
    });
  });
}

export const stopRedis = (redis: ChildProcess) =>
  new Promise<void>((resolve) => {
    redis.once('exit', () => resolve());
    redis.kill('SIGKILL');
  });
