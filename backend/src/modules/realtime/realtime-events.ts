import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { Server } from 'socket.io';

/** An organization's calls or balance changed (committed and published): its numbers are stale. */
export interface CallsChanged {
  organizationId: string;
  /** The call's agent, whose own numbers changed too. */
  agentId?: string;
}

/** A message the publisher sent to an organization's browsers (any room), after the commit. */
export interface Published {
  event: string;
  organizationId: string;
  payload: unknown;
}

export interface RealtimeEventMap {
  'calls-changed': CallsChanged;
  /** Every organization message published (outbound webhooks listen: modules/outbound-webhooks). */
  published: Published;
  /** This process has its socket.io server (the gateway's on api nodes, a headless one in the worker). */
  'server-attached': Server;
}

/**
 * What RealtimePublisher tells the rest of its process, so side effects (the dashboard's metrics)
 * listen instead of being called. Synchronous and in-process; listeners subscribe in their
 * constructor (Nest builds every provider before the server is attached).
 */
@Injectable()
export class RealtimeEvents {
  private readonly emitter = new EventEmitter();

  on<K extends keyof RealtimeEventMap>(
    name: K,
    listener: (event: RealtimeEventMap[K]) => void,
  ): void {
    this.emitter.on(name, listener);
  }

  emit<K extends keyof RealtimeEventMap>(name: K, event: RealtimeEventMap[K]): void {
    this.emitter.emit(name, event);
  }
}
