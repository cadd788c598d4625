// @ts-check
// A small HTTP load generator over keep-alive sockets: closed-loop (max throughput) and open-loop (fixed rate).
import http from 'node:http';

/**
 * @typedef {{ headers: http.OutgoingHttpHeaders, body: string | Buffer }} LoadRequest
 * @typedef {{ url: string | string[], next: () => LoadRequest, durationMs: number }} LoadOptions
 */

/**
 * The p-th percentile of values sorted in ascending order (NaN when there are none).
 * @param {ArrayLike<number>} sorted
 * @param {number} p
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * @param {number[]} latencies ms of each successful request
 * @param {number} durationMs
 * @param {number} errors
 * @param {Record<number, number>} statuses status → count
 */
function summarize(latencies, durationMs, errors, statuses) {
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    errors,
    statuses,
    perSecond: (latencies.length / durationMs) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
}

/**
 * @param {http.Agent} agent
 * @param {string} url
 * @param {LoadRequest} request
 * @returns {Promise<{ status: number, ms: number }>}
 */
function send(agent, url, request) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.request(url, { method: 'POST', agent, headers: request.headers }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        }),
      );
    });
    req.on('error', () =>
      resolve({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }),
    );
    req.end(request.body);
  });
}

/** One URL, or several taken in turn (round robin): requests spread evenly over api nodes. */
/** @param {string | string[]} url */
function roundRobin(url) {
  const urls = Array.isArray(url) ? url : [url];
  let i = 0;
  return () => urls[i++ % urls.length];
}

/**
 * `concurrency` requests in flight at all times for `durationMs`: the server's maximum rate.
 * `url` may be a list: requests go to each in turn.
 */
export async function closedLoop(
  /** @type {LoadOptions & { concurrency: number }} */ { url, next, concurrency, durationMs },
) {
  const target = roundRobin(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  /** @type {number[]} */
  const latencies = [];
  /** @type {Record<number, number>} */
  const statuses = {};
  let errors = 0;
  const deadline = Date.now() + durationMs;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const { status, ms } = await send(agent, target(), next());
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status !== 200) errors += 1;
        else latencies.push(ms);
      }
    }),
  );
  agent.destroy();
  return summarize(latencies, Date.now() - started, errors, statuses);
}

/** Requests started at a fixed rate whatever the answers (no coordinated omission): latency at that load. */
export async function openLoop(
  /** @type {LoadOptions & { ratePerSecond: number }} */ { url, next, ratePerSecond, durationMs },
) {
  const target = roundRobin(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  /** @type {number[]} */
  const latencies = [];
  /** @type {Record<number, number>} */
  const statuses = {};
  let errors = 0;
  const total = Math.round((ratePerSecond * durationMs) / 1000);
  const intervalMs = 1000 / ratePerSecond;
  const started = performance.now();
  const inFlight = [];
  for (let i = 0; i < total; i += 1) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      send(agent, target(), next()).then(({ status, ms }) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status !== 200) errors += 1;
        else latencies.push(ms);
      }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return summarize(latencies, performance.now() - started, errors, statuses);
}
