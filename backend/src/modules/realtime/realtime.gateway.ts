import { Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { Repository } from 'typeorm';
import { AuthUser, isAdminRole } from '../auth/auth-user';
import { User } from '../auth/entities/user.entity';
import { TokenService } from '../auth/token.service';
import { RealtimePublisher } from './realtime-publisher';
import { adminsRoom, organizationRoom, userRoom } from './rooms';

export interface SocketData {
  user: AuthUser;
}

/**
 * Socket.io on the api: a socket authenticates with `auth: { token }` (the REST JWT, never in the
 * query string) in a middleware, which also runs on connection-state recovery. The server joins it
 * to its rooms; the gateway handles no client messages, so nobody can join or leave a room.
 */
@WebSocketGateway({ path: '/socket.io' })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnModuleDestroy {
  private readonly logger = new Logger(RealtimeGateway.name);
  private server?: Server;

  constructor(
    private readonly tokens: TokenService,
    @InjectRepository(User) private readonly users: Repository<User>,
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
    const user = await this.users.findOne({
      where: { id: claims.sub, organizationId: claims.org },
      select: { id: true, organizationId: true, role: true, email: true, active: true },
    });
    if (!user?.active) throw new Error('This account is no longer active');
    const data: SocketData = {
      user: {
        id: user.id,
        organizationId: user.organizationId,
        role: user.role,
        email: user.email,
      },
    };
    socket.data = data;
    const rooms = [organizationRoom(user.organizationId), userRoom(user.id)];
    if (isAdminRole(user.role)) rooms.push(adminsRoom(user.organizationId));
    await socket.join(rooms);
  }

  onModuleDestroy(): void {
    this.logger.debug(`closing ${this.server?.engine?.clientsCount ?? 0} socket(s)`);
  }
}
