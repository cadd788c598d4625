import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from '../auth/entities/user.entity';
import { DashboardModule } from '../dashboard/dashboard.module';
import { HeadlessSocketServer } from './headless-socket-server';
import { MetricsBroadcaster } from './metrics-broadcaster';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimePublisher } from './realtime-publisher';
import { SocketAccess } from './socket-access';

/** RealtimePublisher everywhere; the gateway on api nodes, a headless server in the worker. */
@Global()
@Module({})
export class RealtimeModule {
  static forApi(): DynamicModule {
    return {
      module: RealtimeModule,
      imports: [DashboardModule, TypeOrmModule.forFeature([User])],
      providers: [RealtimePublisher, MetricsBroadcaster, SocketAccess, RealtimeGateway],
      exports: [RealtimePublisher],
    };
  }

  static forWorker(): DynamicModule {
    return {
      module: RealtimeModule,
      imports: [DashboardModule],
      providers: [RealtimePublisher, MetricsBroadcaster, HeadlessSocketServer],
      exports: [RealtimePublisher],
    };
  }
}
