import { Injectable, Logger } from '@nestjs/common';
import type { Server } from 'socket.io';
import { RealtimeEvents } from './realtime-events';
import { adminsRoom, organizationRoom, userRoom } from './rooms';

export type RealtimeEventName =
  'call:created' | 'call:updated' | 'wallet:updated' | 'metrics:updated' | 'payment:updated';

export interface RealtimeMessage {
  event: RealtimeEventName;
  organizationId: string;
  /** The call's agent: call events reach that agent and the organization's admins, no other agent. */
  userId?: string | null;
  payload: unknown;
}

/**
 * The one way any module emits to browsers; called only after the database commit. On api nodes
 * it emits through the gateway's server, in the worker through a server that never listens; both
 * share the Redis streams adapter, so every browser of the organization receives it on any node.
 */
@Injectable()
export class RealtimePublisher {
  private readonly logger = new Logger(RealtimePublisher.name);
  private server?: Server;

  constructor(private readonly events: RealtimeEvents) {}

  attach(server: Server): void {
    this.server = server;
    this.events.emit('server-attached', server);
  }

  /** A message for one user's sockets only (e.g. the progress of their contact import). */
  publishToUser(userId: string, event: string, payload: unknown): void {
    this.server?.to(userRoom(userId)).emit(event, payload);
  }

  /** A message for the organization's admins and owners only (e.g. `campaign:updated`). */
  publishToAdmins(organizationId: string, event: string, payload: unknown): void {
    this.server?.to(adminsRoom(organizationId)).emit(event, payload);
    this.events.emit('published', { event, organizationId, payload });
  }

  /**
   * Disconnects every socket of the user, on every api node (through the adapter), after their
   * role or active flag changed: each comes back through authentication, which joins only the
   * rooms of the user's current role, or refuses a deactivated user.
   */
  disconnectUser(userId: string): void {
    this.server?.in(userRoom(userId)).disconnectSockets(true);
  }

  publish(message: RealtimeMessage): void {
    if (message.event !== 'metrics:updated')
      this.events.emit('published', {
        event: message.event,
        organizationId: message.organizationId,
        payload: message.payload,
      });
    if (!this.server) {
      this.logger.debug(`no socket server attached; ${message.event} not sent`);
      return;
    }
    if (message.event === 'call:created' || message.event === 'call:updated') {
      const rooms = [adminsRoom(message.organizationId)];
      if (message.userId) rooms.push(userRoom(message.userId));
      this.server.to(rooms).emit(message.event, message.payload);
      this.events.emit('calls-changed', {
        organizationId: message.organizationId,
        agentId: message.userId ?? undefined,
      });
    } else {
      this.server.to(organizationRoom(message.organizationId)).emit(message.event, message.payload);
      if (message.event === 'wallet:updated')
        this.events.emit('calls-changed', { organizationId: message.organizationId });
    }
  }
}
