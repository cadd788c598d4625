import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { AppConfig } from '../../config/app-config';
import { RealtimePublisher } from './realtime-publisher';
import { createSocketAdapter } from './socket-adapter';

/**
 * The worker has no HTTP server, so no gateway: it emits through a socket.io server that never
 * listens, on the same Redis streams adapter; the api nodes deliver to their sockets.
 */
@Injectable()
export class HeadlessSocketServer implements OnModuleInit, OnModuleDestroy {
  private server?: Server;
  private redis?: Redis;

  constructor(
    private readonly config: AppConfig,
    private readonly publisher: RealtimePublisher,
  ) {}

  onModuleInit(): void {
    const { adapter, redis } = createSocketAdapter(this.config);
    this.redis = redis;
    this.server = new Server({ adapter });
    this.publisher.attach(this.server);
  }

  async onModuleDestroy(): Promise<void> {
    try {
      await this.server?.close();
    } catch {
      // io.close() throws once the adapter has closed; nothing is left to close
    }
    this.redis?.disconnect();
  }
}
