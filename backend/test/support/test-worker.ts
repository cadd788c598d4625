import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer } from 'node:net';
import { loadConfig } from '../../src/config/app-config';
import { WorkerModule } from '../../src/worker.module';
import { TEST_TWILIO } from './provider-webhooks';
import { RunningApi, startApi } from './test-app';

/** Starts the real worker module in this process (processors, schedulers), like worker.ts does. */
export async function startWorker(
  env: Record<string, string> = {},
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(loadConfig({ ...process.env, ...env })),
    {
      logger: false,
    },
  );
  await app.init();
  return app;
}

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls until `check` returns a truthy value, or fails after `timeoutMs` with `what`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const result = await check();
      if (result) return result;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export interface RunningStack {
  api: RunningApi;
  worker: INestApplicationContext;
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The api and a worker sharing one configuration, as in production: the api listens on the port that
 * PUBLIC_BASE_URL names, so simulator deliveries and Twilio signatures use the real ingress URL.
 */
export async function startStack(extraEnv: Record<string, string> = {}): Promise<RunningStack> {
  const port = await freePort();
  const env = {
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    SIMULATOR_TIME_SCALE: '0.01',
    JOB_ATTEMPTS: '3',
    JOB_RETRY_DELAY_MS: '50',
    ...TEST_TWILIO,
    ...extraEnv,
  };
  const api = await startApi(env, port);
  const worker = await startWorker(env);
  return {
    api,
    worker,
    env,
    close: async () => {
      await worker.close();
      await api.close();
    },
  };
}
