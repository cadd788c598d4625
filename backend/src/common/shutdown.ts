import type { FastifyInstance } from 'fastify';

/**
 * How long a process may take to close after SIGTERM/SIGINT before it exits anyway. Below the
 * supervisor's 10 s (scripts/lib/supervisor.mjs) and Docker's default stop timeout, so that a hung
 * close (a stalled client, a query that never returns) ends in an exit with a log line, not a SIGKILL.
 */
export const SHUTDOWN_DEADLINE_MS = 8_000;

/**
 * Arms an exit timer on the first SIGTERM/SIGINT. Nest's shutdown hooks still do the closing; this
 * only bounds how long they may take. It keeps listening, so a second signal (Ctrl-C reaches every
 * process of the terminal's group, then the supervisor sends SIGTERM) does not kill the process
 * mid-close. The timer is unref'd: a clean close exits before it fires.
 */
export function exitAfterShutdownDeadline(
  processName: string,
  deadlineMs: number = SHUTDOWN_DEADLINE_MS,
): void {
  let armed = false;
  const arm = (signal: NodeJS.Signals) => {
    if (armed) return;
    armed = true;
    setTimeout(() => {
      console.error(
        `Switchboard ${processName}: still closing ${deadlineMs} ms after ${signal}; exiting anyway`,
      );
      process.exit(1);
    }, deadlineMs).unref();
  };
  process.on('SIGTERM', arm);
  process.on('SIGINT', arm);
}

/**
 * A 413 is answered before the client has sent its body: keeping the connection alive would leave
 * Node reading and discarding the rest of an upload of any size. `Connection: close` makes Node end
 * the socket once the answer is written; `forceCloseConnections` reaps what is still open at shutdown.
 */
export function closeConnectionsAfterTooLarge(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode === 413) void reply.header('connection', 'close');
    done(null, payload);
  });
}
