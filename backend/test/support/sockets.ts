import { io, Socket } from 'socket.io-client';

export interface RecordedSocket {
  socket: Socket;
  events: { event: string; payload: any }[];
  close(): void;
}

/** Connects a socket.io client the way the console does (`auth: { token }`) and records what it receives. */
export function connectSocket(baseUrl: string, token: string | undefined): Promise<RecordedSocket> {
  return new Promise((resolve, reject) => {
    const socket = io(baseUrl, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: token === undefined ? {} : { token },
      reconnection: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
    });
    const events: { event: string; payload: any }[] = [];
    socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
    socket.once('connect', () => resolve({ socket, events, close: () => socket.disconnect() }));
    socket.once('connect_error', (error) => {
      socket.disconnect();
      reject(error);
    });
  });
}
