// Types of supervisor.mjs, for the backend's tests that drive it.
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { EventEmitter } from 'node:events';

export interface RestartOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  stableAfterMs: number;
}

export const DEFAULT_RESTART: RestartOptions;

export function nextRestartDelay(
  previousDelayMs: number,
  ranMs: number,
  options?: RestartOptions,
): number;

export interface ProcessSpec {
  name: string;
  command: string;
  args?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdio?: StdioOptions;
  onSpawn?: (child: ChildProcess) => void;
}

export class Supervisor extends EventEmitter {
  constructor(options?: {
    log?: (line: string) => void;
    stopTimeoutMs?: number;
    restart?: Partial<RestartOptions>;
  });
  stopping: { promise: Promise<void> } | undefined;
  add(spec: ProcessSpec): this;
  child(name: string): ChildProcess | undefined;
  stop(signal?: NodeJS.Signals): Promise<void>;
  stopOnSignals(exitCode?: number): this;
}
