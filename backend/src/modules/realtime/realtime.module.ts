import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from '../auth/entities/user.entity';
import { HeadlessSocketServer } from './headless-socket-server';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeEvents } from './realtime-events';
import { RealtimePublisher } from './realtime-publisher';
import { SocketAccess } from './socket-access';

/**
 * RealtimePublisher (and the RealtimeEvents it emits) everywhere; the gateway on api nodes, a
 * headless server in the worker.
 */
@Global()
@Module({})
export class RealtimeModule {
  static forApi(): DynamicModule {
    return {
      module: RealtimeModule,
      imports: [TypeOrmModule.forFeature([User])],
      providers: [RealtimeEvents, RealtimePublisher, SocketAccess, RealtimeGateway],
      exports: [RealtimeEvents, RealtimePublisher],
    };
  }

  static forWorker(): DynamicModule {
    return {
      module: RealtimeModule,
      providers: [RealtimeEvents, RealtimePublisher, HeadlessSocketServer],
      exports: [RealtimeEvents, RealtimePublisher],
    };
  }
}
