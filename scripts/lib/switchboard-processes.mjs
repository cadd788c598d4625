// What `npm start` and `npm run cluster` run once the database is ready, under the supervisor:
// one api and one worker, or N api nodes and M workers behind nginx.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { Supervisor } from './supervisor.mjs';

function signInHint(production) {
  if (!production)
    console.log(
      'Sign in as admin@demo.test / switchboard-admin or agent@demo.test / switchboard-agent\n',
    );
}

/** `npm start`: the api and the worker, each started again if it dies, until Ctrl-C/SIGTERM. */
export function runSingle({ root, env, production }) {
  const supervisor = new Supervisor().stopOnSignals();
  for (const name of ['api', 'worker'])
    supervisor.add({
      name,
      command: process.execPath,
      args: [join(root, `backend/dist/${name === 'api' ? 'main' : 'worker'}.js`)],
      cwd: root,
      env,
    });
  console.log(
    `\nSwitchboard console: http://localhost:${env.PORT}  (API docs: http://localhost:${env.PORT}/api/docs)`,
  );
  signInHint(production);
  return supervisor;
}

/** A loopback port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function portIsFree(host, port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** Resolves once something answers HTTP on the loopback `port` (or after `timeoutMs`, anyway). */
async function waitUntilListening(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(`http://127.0.0.1:${port}/health/live`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Fills `${NAME}` placeholders the way the official nginx image's envsubst step does. */
export function renderTemplate(template, values) {
  return template.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (match, name) => values[name] ?? match);
}

/**
 * nginx as a child process, not the system service: its own prefix, pid file, logs and temp folders
 * in a fresh temporary directory, the server block rendered from docker/nginx/switchboard.conf.template.
 */
export function prepareNginx({ root, listen, apiPorts }) {
  const nginx = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'].find(
    (path) => spawnSync(path, ['-v']).status === 0,
  );
  if (!nginx)
    throw new Error(
      'nginx is not installed: apt-get install nginx (Debian package; only the binary is used, not the service)',
    );
  const prefix = mkdtempSync(join(os.tmpdir(), 'switchboard-nginx-'));
  const temp = join(prefix, 'temp');
  mkdirSync(temp);
  // Run as root, nginx's workers switch to `nobody`: they must reach the prefix and own the temp folder.
  const asRoot = process.getuid?.() === 0;
  let userLine = '';
  if (asRoot) {
    const id = (flag) => spawnSync('id', [flag, 'nobody'], { encoding: 'utf8' }).stdout?.trim();
    const [uid, gid, group] = [Number(id('-u')), Number(id('-g')), id('-gn')];
    if (Number.isInteger(uid) && Number.isInteger(gid) && group) {
      chmodSync(prefix, 0o755);
      chownSync(temp, uid, gid);
      userLine = `user nobody ${group};`;
    } else userLine = 'user root;';
  }
  const server = renderTemplate(
    readFileSync(join(root, 'docker/nginx/switchboard.conf.template'), 'utf8'),
    {
      SWITCHBOARD_LISTEN: listen,
      SWITCHBOARD_API_SERVERS: apiPorts.map((port) => `server 127.0.0.1:${port};`).join('\n  '),
    },
  );
  writeFileSync(join(prefix, 'switchboard.conf'), server);
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `${userLine}
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log stderr warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${join(temp, 'body')};
  proxy_temp_path ${join(temp, 'proxy')};
  fastcgi_temp_path ${join(temp, 'fastcgi')};
  uwsgi_temp_path ${join(temp, 'uwsgi')};
  scgi_temp_path ${join(temp, 'scgi')};
  include ${join(prefix, 'switchboard.conf')};
}
`,
  );
  const args = ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', 'stderr'];
  const check = spawnSync(nginx, [...args, '-t'], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx rejected its configuration:\n${check.stderr}`);
  return {
    command: nginx,
    args: [...args, '-g', 'daemon off;'],
    prefix,
    remove: () => rmSync(prefix, { recursive: true, force: true }),
  };
}

/**
 * `npm run cluster`: `apiNodes` api processes on free loopback ports, `workers` worker processes, all
 * on the same PostgreSQL and Redis, and nginx in front on CLUSTER_PORT (default 8080). Every process
 * is supervised: one that dies is started again; Ctrl-C stops them all.
 */
export async function runCluster({ root, env, production, apiNodes, workers }) {
  const clusterPort = Number(env.CLUSTER_PORT ?? 8080);
  const host = env.HOST ?? '127.0.0.1';
  if (!(await portIsFree(host, clusterPort))) {
    console.error(`Port ${clusterPort} is taken: set CLUSTER_PORT to a free one.`);
    process.exit(1);
  }
  const publicUrl = env.PUBLIC_BASE_URL ?? `http://localhost:${clusterPort}`;
  const apiPorts = [];
  for (let i = 0; i < apiNodes; i += 1) apiPorts.push(await freePort());
  const nginx = prepareNginx({ root, listen: `${host}:${clusterPort}`, apiPorts });

  const supervisor = new Supervisor();
  const nodeEnv = {
    ...env,
    // Every node signs and checks webhooks against the address providers reach: nginx's.
    PUBLIC_BASE_URL: publicUrl,
    TRUST_PROXY: env.TRUST_PROXY ?? 'true',
  };
  apiPorts.forEach((port, i) => {
    supervisor.add({
      name: `api-${i + 1}`,
      command: process.execPath,
      args: [join(root, 'backend/dist/main.js')],
      cwd: root,
      env: { ...nodeEnv, PORT: String(port) },
    });
    console.log(`[cluster] api-${i + 1} on http://127.0.0.1:${port}`);
  });
  for (let i = 0; i < workers; i += 1)
    supervisor.add({
      name: `worker-${i + 1}`,
      command: process.execPath,
      args: [join(root, 'backend/dist/worker.js')],
      cwd: root,
      env: nodeEnv,
    });
  supervisor.once('stopped', nginx.remove);
  supervisor.stopOnSignals();
  // nginx last, once the api nodes answer: it would otherwise mark them failed while they boot.
  await Promise.all(apiPorts.map((port) => waitUntilListening(port, 180_000)));
  if (supervisor.stopping) return supervisor;
  supervisor.add({ name: 'nginx', command: nginx.command, args: nginx.args, cwd: root, env });
  console.log(`[cluster] nginx on ${host}:${clusterPort} (its files in ${nginx.prefix})`);

  console.log(
    `\nSwitchboard cluster (${apiNodes} api, ${workers} workers, nginx): http://localhost:${clusterPort}` +
      `  (API docs: http://localhost:${clusterPort}/api/docs)`,
  );
  signInHint(production);
  return supervisor;
}
