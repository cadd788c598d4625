// @ts-check
// The benchmark's browser stand-in, on a thread of its own so that the load generator's work on
// the main thread never delays a receipt timestamp. Records when each call first reaches `ringing`.
import { parentPort, workerData } from 'node:worker_threads';
import { io } from 'socket.io-client';

if (!parentPort) throw new Error('socket-receiver runs as a worker thread');
const parent = parentPort;
/** @type {{ base: string, token: string }} */
const { base, token } = workerData;
const receivedAt = new Map(); // call id → epoch ms (performance.timeOrigin + now(): shared clock)
const socket = io(base, { path: '/socket.io', transports: ['websocket'], auth: { token } });
socket.on('connect', () => parent.postMessage({ type: 'connected' }));
socket.on('connect_error', (error) =>
  parent.postMessage({ type: 'error', message: error.message }),
);
socket.on('call:updated', (/** @type {{ id: string, status: string }} */ call) => {
  if (call.status === 'ringing' && !receivedAt.has(call.id))
    receivedAt.set(call.id, performance.timeOrigin + performance.now());
});
parent.on('message', (message) => {
  if (message.type === 'count') parent.postMessage({ type: 'count', count: receivedAt.size });
  if (message.type === 'collect') {
    parent.postMessage({ type: 'collected', receivedAt: [...receivedAt] });
    socket.disconnect();
  }
});
