// Preloaded into a product process by a benchmark only (`node --expose-gc --import` this file,
// with an IPC channel: startProcess(…, { memoryProbe: true })). On a message { type: 'memory' } it
// runs a full garbage collection and answers what is left: resident memory alone mixes live data
// with garbage V8 has not collected yet, and V8 lets the heap grow while memory is plentiful.
// { type: 'snapshot', path } writes a heap snapshot there (to compare two moments of a run);
// { type: 'profile-start' } and { type: 'profile-stop', path } record a CPU profile (.cpuprofile).
// Snapshots and profiles are for finding where memory or time goes, not for figures.
import { writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import v8 from 'node:v8';

/** @type {import('node:inspector').Session | undefined} */
let session;

/** @typedef {{ type?: string, id?: unknown, path?: string }} ProbeMessage */

const send = process.send?.bind(process);
if (send) {
  process.on('message', (/** @type {unknown} */ received) => {
    if (!received || typeof received !== 'object') return;
    const message = /** @type {ProbeMessage} */ (received);
    if (message.type === 'memory') {
      const started = performance.now();
      if (typeof globalThis.gc === 'function') {
        // Twice: the first pass leaves objects that only weak references and finalizers held.
        globalThis.gc();
        globalThis.gc();
      }
      const gcMs = performance.now() - started;
      const usage = process.memoryUsage();
      send({
        type: 'memory',
        id: message.id,
        collected: typeof globalThis.gc === 'function',
        gcMs,
        rss: usage.rss,
        heapUsed: usage.heapUsed,
        heapTotal: usage.heapTotal,
        external: usage.external,
        arrayBuffers: usage.arrayBuffers,
      });
    } else if (message.type === 'snapshot') {
      const path = v8.writeHeapSnapshot(message.path ?? '');
      send({ type: 'snapshot', id: message.id, path });
    } else if (message.type === 'profile-start') {
      const started = new inspector.Session();
      session = started;
      started.connect();
      started.post('Profiler.enable', () =>
        started.post('Profiler.start', () => send({ type: 'profile', id: message.id })),
      );
    } else if (message.type === 'profile-stop' && session) {
      const running = session;
      running.post('Profiler.stop', (error, result) => {
        if (!error && message.path) writeFileSync(message.path, JSON.stringify(result.profile));
        running.disconnect();
        session = undefined;
        send({ type: 'profile', id: message.id, path: message.path });
      });
    }
  });
  // The channel must not keep the process alive on its own (it exits on SIGTERM as usual).
  process.channel?.unref();
}
