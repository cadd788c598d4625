import { INestApplication } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig } from '../../config/app-config';
import { SocketAccess } from './socket-access';
import { CONNECTION_STATE_RECOVERY, createSocketAdapter } from './socket-adapter';

/**
 * Nest's socket.io adapter with the shared Redis streams adapter and connection-state recovery; a
 * saved session is resumed only while its user may still hold every room it had (SocketAccess).
 */
export class RedisStreamsIoAdapter extends IoAdapter {
  private redis?: Redis;

  constructor(
    private readonly application: INestApplication,
    private readonly config: AppConfig,
  ) {
    super(application);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const access = this.application.get(SocketAccess, { strict: false });
    const { adapter, redis } = createSocketAdapter(this.config, {
      mayRestore: (session) => access.mayRestore(session),
    });
    this.redis = redis;
    const server = super.createIOServer(port, {
      ...(options as ServerOptions),
      path: '/socket.io',
      cors: { origin: this.config.corsOrigins, credentials: true },
      connectionStateRecovery: CONNECTION_STATE_RECOVERY,
    }) as Server;
    server.adapter(adapter);
    return server;
  }

  override async close(server: Server): Promise<void> {
    try {
      await super.close(server);
    } catch {
      // closing the server after its adapter is gone throws; nothing is left to close
    }
    this.redis?.disconnect();
  }
}
