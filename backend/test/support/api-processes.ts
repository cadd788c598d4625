import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { eventually, freePort } from './test-worker';

export interface ApiProcesses {
  urls: string[];
  close(): Promise<void>;
}

/**
 * Starts `count` api nodes as separate processes from the build (`dist/main.js`), on the test
 * database and Redis prefix, each on a free port, and waits until every one is ready: what a
 * cluster behind a load balancer runs. Needs `npm run build` first, as `npm test` does.
 */
export async function startApiProcesses(
  count: number,
  env: Record<string, string> = {},
): Promise<ApiProcesses> {
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  const output: string[] = [];
  const close = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    for (let i = 0; i < count; i += 1) {
      const port = await freePort();
      const child = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'main.js')], {
        env: {
          ...process.env,
          LOG_LEVEL: 'silent',
          PORT: String(port),
          PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
          ...env,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      children.push(child);
      urls.push(`http://127.0.0.1:${port}`);
    }
    for (const [index, url] of urls.entries()) {
      await eventually(
        async () => {
          if (children[index].exitCode !== null)
            throw new Error(`api ${url} exited:\n${output.join('').slice(-2000)}`);
          return (await fetch(`${url}/health/ready`)).ok;
        },
        `${url} to be ready`,
        60_000,
      );
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { urls, close };
}
