// @ts-check
// Switchboard's own processes (api, worker) as a benchmark drives them: started with an
// environment, their output appended to a log file, killed the hard way and started again.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export class ProductProcess {
  /**
   * @param {string} label e.g. "api-1"
   * @param {string} script the compiled entry point (backend/dist/main.js or worker.js)
   * @param {Record<string, string>} env added to this process's environment
   * @param {string} logFile stdout and stderr of every incarnation, appended
   */
  constructor(label, script, env, logFile) {
    this.label = label;
    this.script = script;
    this.env = env;
    this.logFile = logFile;
    /** @type {import('node:child_process').ChildProcess | null} */
    this.child = null;
    this.starts = 0;
  }

  get running() {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  start() {
    const log = openSync(this.logFile, 'a');
    this.child = spawn(process.execPath, [this.script], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', log, log],
    });
    closeSync(log); // the child holds its own descriptor
    this.starts += 1;
    return this;
  }

  /**
   * Sends `signal` and resolves once the process has exited (at once when it is not running).
   * @param {NodeJS.Signals} [signal]
   * @returns {Promise<void>}
   */
  kill(signal = 'SIGKILL') {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 10_000) {
    if (!this.running) return;
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.kill('SIGTERM');
    clearTimeout(timer);
  }
}

/** Resolves once `url` answers below 500, or rejects after `timeoutMs`. */
/** @param {string} url */
export async function waitForHttp(url, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not come up within ${timeoutMs / 1000} s`);
}
