import { Injectable, Logger } from '@nestjs/common';

export type RealtimeEventName =
  'call:created' | 'call:updated' | 'wallet:updated' | 'metrics:updated';

export interface RealtimeMessage {
  event: RealtimeEventName;
  organizationId: string;
  /** Agents receive call events of their own calls only: the call's agent. */
  userId?: string | null;
  payload: unknown;
}

/**
 * The one way any module emits to browsers; called only after the database commit.
 * The socket.io transport is wired by the realtime module; until then messages are logged.
 */
@Injectable()
export class RealtimePublisher {
  private readonly logger = new Logger(RealtimePublisher.name);

  publish(message: RealtimeMessage): void {
    this.logger.debug({
      msg: 'realtime event',
      event: message.event,
      organizationId: message.organizationId,
    });
  }
}
