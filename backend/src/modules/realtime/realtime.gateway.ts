import { Logger, OnModuleDestroy } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { AuthUser } from '../auth/auth-user';
import { TokenService } from '../auth/token.service';
import { RealtimePublisher } from './realtime-publisher';
import { roomsFor } from './rooms';
import { SocketAccess } from './socket-access';

export interface SocketData {
  user: AuthUser;
  /** The session version of the token it authenticated with (checked again on a resume). */
  sessionVersion: number;
}

/**
 * Socket.io on the api: a socket authenticates with `auth: { token }` (the REST JWT, never in the
 * query string) in a middleware, which also runs on connection-state recovery. The server joins it
 * to the rooms the user's current role allows; the gateway handles no client messages, so nobody
 * can join or leave a room. A change of role or a deactivation disconnects the user's sockets
 * (RealtimePublisher.disconnectUser), and so does a password change (a token issued before it is
 * refused there), so they come back through this middleware.
 */
@WebSocketGateway({ path: '/socket.io' })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnModuleDestroy {
  private readonly logger = new Logger(RealtimeGateway.name);
  private server?: Server;

  constructor(
    private readonly tokens: TokenService,
    private readonly access: SocketAccess,
    private readonly publisher: RealtimePublisher,
  ) {}

  afterInit(server: Server): void {
    this.server = server;
    server.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (error: Error) => next(error),
      );
    });
    this.publisher.attach(server);
  }

  handleConnection(socket: Socket): void {
    // Anything a client sends is ignored; rooms were joined by the server during authentication.
    socket.onAny(() => undefined);
  }

  private async authenticate(socket: Socket): Promise<void> {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token === '') {
      throw new Error('Authentication required: connect with auth: { token: <access token> }');
    }
    const claims = await this.tokens.verify(token);
    if (!claims) throw new Error('Invalid or expired access token');
    const sessionVersion = claims.sv ?? 0;
    const user = await this.access.currentUser(claims.sub, claims.org, sessionVersion);
    if (!user) throw new Error('This account is no longer active');
    const previous = (socket.data as Partial<SocketData> | undefined)?.user;
    if (socket.recovered && previous?.id !== user.id) {
      throw new Error('This session belongs to another user');
    }
    const data: SocketData = { user, sessionVersion };
    socket.data = data;
    // A resumed session comes back with its old rooms: keep only those the role still allows.
    const rooms = roomsFor(user);
    for (const room of [...socket.rooms]) {
      if (room !== socket.id && !rooms.includes(room)) await socket.leave(room);
    }
    await socket.join(rooms);
  }

  onModuleDestroy(): void {
    this.logger.debug(`closing ${this.server?.engine?.clientsCount ?? 0} socket(s)`);
  }
}
