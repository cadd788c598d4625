import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { currentUserQuery } from '../auth/current-user';
import { User } from '../auth/entities/user.entity';
import { roomsFor } from './rooms';

/** What the socket.io adapter saved of a disconnected socket, for connection-state recovery. */
export interface SavedSession {
  sid: string;
  rooms: string[];
  data: unknown;
}

/**
 * Who may hold a socket, and in which rooms, read from the database every time a socket connects
 * or resumes a session: the access token only says who the user was when it was issued.
 */
@Injectable()
export class SocketAccess {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /**
   * The user as they are now, or null when they no longer exist, were deactivated, their
   * organization is suspended, or their password changed since the token (`sessionVersion`).
   */
  async currentUser(
    userId: string,
    organizationId: string,
    sessionVersion: number,
  ): Promise<AuthUser | null> {
    // Operators have no organization, hence no rooms: they hold no socket.
    if (!organizationId) return null;
    const user = await this.users.findOne(currentUserQuery(userId, organizationId));
    if (!user?.active || !user.organizationId || user.organization?.suspendedAt) return null;
    if (user.sessionVersion !== sessionVersion) return null;
    return { id: user.id, organizationId: user.organizationId, role: user.role, email: user.email };
  }

  /**
   * Whether a session saved at a disconnection may be resumed: its user is still active (with the
   * same session version: no password change since) and it
   * holds no room their role lost meanwhile. Resuming replays the events the session's rooms
   * missed before any middleware runs, so a session that fails this is not resumed at all: the
   * client gets a fresh connection (authenticated again) and reloads what it shows.
   */
  async mayRestore(session: SavedSession): Promise<boolean> {
    const data = session.data as { user?: Partial<AuthUser>; sessionVersion?: unknown } | undefined;
    const saved = data?.user;
    if (typeof saved?.id !== 'string' || typeof saved.organizationId !== 'string') return false;
    const sessionVersion = typeof data?.sessionVersion === 'number' ? data.sessionVersion : 0;
    const user = await this.currentUser(saved.id, saved.organizationId, sessionVersion);
    if (!user) return false;
    const allowed = new Set([session.sid, ...roomsFor(user)]);
    return session.rooms.every((room) => allowed.has(room));
  }
}
