import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'socket.io';
import { CallsChanged, RealtimeEvents } from './realtime-events';
import { RealtimePublisher } from './realtime-publisher';

/** A socket.io server that only records what was emitted to which rooms. */
function recordingServer() {
  const emitted: { rooms: string[]; event: string }[] = [];
  const server = {
    to: (rooms: string | string[]) => ({
      emit: (event: string) => emitted.push({ rooms: ([] as string[]).concat(rooms), event }),
    }),
  } as unknown as Server;
  return { server, emitted };
}

describe('RealtimePublisher', () => {
  it('tells in-process listeners which organization and agent its call and wallet events changed', () => {
    const events = new RealtimeEvents();
    const changes: CallsChanged[] = [];
    const servers: Server[] = [];
    events.on('calls-changed', (change) => changes.push(change));
    events.on('server-attached', (server) => servers.push(server));
    const publisher = new RealtimePublisher(events);
    const { server, emitted } = recordingServer();

    publisher.attach(server);
    publisher.publish({ event: 'call:updated', organizationId: 'o1', userId: 'u1', payload: {} });
    publisher.publish({ event: 'wallet:updated', organizationId: 'o2', payload: {} });
    publisher.publish({ event: 'metrics:updated', organizationId: 'o3', payload: {} });

    expect(servers).toEqual([server]);
    expect(changes).toEqual([
      { organizationId: 'o1', agentId: 'u1' },
      { organizationId: 'o2', agentId: undefined },
    ]);
    expect(emitted.map(({ event }) => event)).toEqual([
      'call:updated',
      'wallet:updated',
      'metrics:updated',
    ]);
  });

  it('imports nothing from the dashboard (the dashboard listens to realtime, not the reverse)', () => {
    const sources = readdirSync(__dirname).filter((file) => file.endsWith('.ts'));
    const importers = sources.filter((file) =>
      /from '\.\.\/dashboard\//.test(readFileSync(join(__dirname, file), 'utf8')),
    );
    expect(importers).toEqual([]);
  });
});
