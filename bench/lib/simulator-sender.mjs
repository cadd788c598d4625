// @ts-check
// Sends signed simulator webhooks (Standard Webhooks: HMAC-SHA256 over `id.timestamp.body`) the
// way a real provider does: to any of several api nodes, retried with backoff until a 2xx, for as
// long as it takes; a node that is down or answers 5xx is tried again later, perhaps another one.
import http from 'node:http';
import { signSimulatorWebhook } from './webhook-signing.mjs';

export class SimulatorSender {
  /** @param {{ nodes: string[], secret: string, timeoutMs?: number, maxSockets?: number }} options */
  constructor({ nodes, secret, timeoutMs = 10_000, maxSockets = 64 }) {
    this.nodes = nodes.map((base) => new URL(base));
    this.agents = this.nodes.map(() => new http.Agent({ keepAlive: true, maxSockets }));
    this.secret = secret;
    this.timeoutMs = timeoutMs;
    this.attempts = 0;
    this.retries = 0;
    /** @type {Record<number, number>} status (0 = no answer) → count */
    this.answers = {};
    this.perNode = this.nodes.map(() => 0); // 2xx answers per node
  }

  /**
   * One POST; resolves with the status code, 0 when the connection failed or timed out.
   * @param {number} node index into the nodes
   * @param {string} id the webhook id
   * @param {string} body
   * @returns {Promise<number>}
   */
  post(node, id, body) {
    const url = this.nodes[node];
    const payload = Buffer.from(body);
    return new Promise((resolve) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: '/api/webhooks/simulator',
          method: 'POST',
          agent: this.agents[node],
          timeout: this.timeoutMs,
          headers: {
            'content-type': 'application/json',
            'content-length': payload.length,
            'user-agent': 'Switchboard-Chaos/1.0',
            ...signSimulatorWebhook(this.secret, id, body),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', () => resolve(0));
        },
      );
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', () => resolve(0));
      request.end(payload);
    });
  }

  /**
   * Delivers one webhook to `node` first; until it is answered 2xx, retries after 100 ms, 200 ms, …
   * (at most 3 s), alternating nodes as a load balancer would. A 4xx is final (a provider does not
   * retry what was refused) and returned.
   * @param {number} node
   * @param {string} id
   * @param {string} body
   */
  async deliver(node, id, body) {
    for (let attempt = 0; ; attempt += 1) {
      const target = (node + attempt) % this.nodes.length;
      const status = await this.post(target, id, body);
      this.attempts += 1;
      this.answers[status] = (this.answers[status] ?? 0) + 1;
      if (status >= 200 && status < 300) {
        this.perNode[target] += 1;
        return status;
      }
      if (status >= 400 && status < 500 && status !== 429 && status !== 408) return status;
      this.retries += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.min(3000, 100 * 2 ** attempt)));
    }
  }

  destroy() {
    for (const agent of this.agents) agent.destroy();
  }
}
