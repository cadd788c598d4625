import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs commands of the compiled database CLI (`run`: the real migrations) against `env`'s database. */
export function runDatabaseCli(commands: string[], env: NodeJS.ProcessEnv): void {
  const cli = join(__dirname, '..', '..', 'dist', 'database', 'cli.js');
  for (const command of commands)
    execFileSync(process.execPath, [cli, command], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
}
