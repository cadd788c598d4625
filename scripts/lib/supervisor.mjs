// Keeps a set of child processes alive: one that exits is started again after a delay that doubles
// with each quick failure; on stop, every child gets SIGTERM, then SIGKILL if it is still there at the
// deadline. Used by `npm start` (api + worker) and `npm run cluster` (api nodes, workers, nginx).
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';

export const DEFAULT_RESTART = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  // A process that ran this long before it died starts again after the initial delay: the delay
  // only grows while it keeps dying soon after starting.
  stableAfterMs: 60_000,
};

/** The delay before the next start of a process that exited after running `ranMs`. */
export function nextRestartDelay(previousDelayMs, ranMs, options = DEFAULT_RESTART) {
  if (previousDelayMs === 0 || ranMs >= options.stableAfterMs) return options.initialDelayMs;
  return Math.min(previousDelayMs * 2, options.maxDelayMs);
}

const describeExit = (code, signal) => (signal ? `signal ${signal}` : `code ${code}`);

/**
 * Events: `start` ({ name, pid, starts }), `exit` ({ name, pid, code, signal, ranMs }),
 * `restart-scheduled` ({ name, delayMs }), `stopped` (every child has exited after stop()).
 */
export class Supervisor extends EventEmitter {
  /**
   * @param {object} options
   * @param {(line: string) => void} [options.log] where the supervisor's own lines go
   * @param {number} [options.stopTimeoutMs] SIGTERM → SIGKILL; below the 10 s an operator waits
   * @param {typeof DEFAULT_RESTART} [options.restart]
   */
  constructor({ log = (line) => console.log(line), stopTimeoutMs = 9_000, restart } = {}) {
    super();
    this.log = log;
    this.stopTimeoutMs = stopTimeoutMs;
    this.restart = { ...DEFAULT_RESTART, ...restart };
    this.processes = new Map();
    this.stopping = undefined;
  }

  /**
   * Adds a process and starts it. `spec`: { name, command, args, cwd, env, stdio }; `stdio` defaults
   * to 'inherit'. With `onSpawn(child)`, the caller sees each new child (to pipe its output).
   */
  add(spec) {
    if (this.processes.has(spec.name)) throw new Error(`${spec.name} is already supervised`);
    const entry = { spec, child: undefined, starts: 0, delayMs: 0, timer: undefined };
    this.processes.set(spec.name, entry);
    this.#start(entry);
    return this;
  }

  /** The live child of `name`, if it is running now. */
  child(name) {
    const child = this.processes.get(name)?.child;
    return child && child.exitCode === null && child.signalCode === null ? child : undefined;
  }

  #start(entry) {
    const { spec } = entry;
    entry.timer = undefined;
    entry.starts += 1;
    const startedAt = Date.now();
    const child = spawn(spec.command, spec.args ?? [], {
      cwd: spec.cwd,
      env: spec.env,
      stdio: spec.stdio ?? 'inherit',
    });
    entry.child = child;
    spec.onSpawn?.(child);
    child.once('error', (error) => this.log(`[supervisor] ${spec.name}: ${error.message}`));
    child.once('spawn', () => {
      const again = entry.starts > 1 ? ' again' : '';
      this.log(`[supervisor] ${spec.name} started${again} (pid ${child.pid})`);
      this.emit('start', { name: spec.name, pid: child.pid, starts: entry.starts });
    });
    child.once('exit', (code, signal) => {
      const ranMs = Date.now() - startedAt;
      this.emit('exit', { name: spec.name, pid: child.pid, code, signal, ranMs });
      if (this.stopping) return this.#checkStopped();
      entry.delayMs = nextRestartDelay(entry.delayMs, ranMs, this.restart);
      this.log(
        `[supervisor] ${spec.name} (pid ${child.pid}) exited with ${describeExit(code, signal)} after ` +
          `${(ranMs / 1000).toFixed(1)} s; starting it again in ${(entry.delayMs / 1000).toFixed(1)} s`,
      );
      this.emit('restart-scheduled', { name: spec.name, delayMs: entry.delayMs });
      entry.timer = setTimeout(() => this.#start(entry), entry.delayMs);
    });
  }

  #running() {
    // A child that could not be spawned (no pid) never exits: it is not running either.
    return [...this.processes.values()].filter(
      ({ child }) =>
        child && child.pid !== undefined && child.exitCode === null && child.signalCode === null,
    );
  }

  #checkStopped() {
    if (this.stopping && this.#running().length === 0) this.stopping.resolve();
  }

  /**
   * Stops every process: SIGTERM (or `signal`), SIGKILL for those still running after
   * `stopTimeoutMs`. Resolves once all have exited; pending restarts are cancelled.
   */
  stop(signal = 'SIGTERM') {
    if (this.stopping) return this.stopping.promise;
    let resolve;
    const promise = new Promise((r) => (resolve = r));
    this.stopping = { promise, resolve };
    for (const entry of this.processes.values()) clearTimeout(entry.timer);
    const running = this.#running();
    for (const { child } of running) child.kill(signal);
    const killer = setTimeout(() => {
      for (const { spec, child } of this.#running()) {
        this.log(
          `[supervisor] ${spec.name} (pid ${child.pid}) still running ${this.stopTimeoutMs} ms after ${signal}: SIGKILL`,
        );
        child.kill('SIGKILL');
      }
    }, this.stopTimeoutMs);
    killer.unref();
    promise.then(() => {
      clearTimeout(killer);
      this.emit('stopped');
    });
    this.#checkStopped();
    return promise;
  }

  /** Stops everything on SIGINT (Ctrl-C) or SIGTERM, then exits with `exitCode`. */
  stopOnSignals(exitCode = 0) {
    const onSignal = (signal) => {
      this.log(`\n[supervisor] ${signal}: stopping ${this.#running().length} processes`);
      void this.stop('SIGTERM').then(() => process.exit(exitCode));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    return this;
  }
}
