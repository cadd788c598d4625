import {
  BadRequestException,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { DEMO_CREDENTIALS } from '../../database/seed';
import { Organization } from './entities/organization.entity';
import { User } from './entities/user.entity';
import { LoginRateLimiter } from './login-rate-limiter';
import { LoginResponse } from './login.dto';
import { decoyPasswordHash, hashPassword, verifyPassword } from './password';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from './auth-user';
import { TokenService } from './token.service';
import { toUserView, UserView } from './user-view';

const INVALID_CREDENTIALS = 'Invalid email or password';

/**
 * How long after a password change the user's sockets are disconnected. Their HTTP requests with
 * an older token are refused at once; the sockets wait this long so the session that changed the
 * password holds its fresh token before its own socket is dropped (a socket dropped earlier would
 * come back with the old token, be refused and sign that session out too).
 */
export const PASSWORD_CHANGE_SOCKET_GRACE_MS = 1500;

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
    private readonly tokens: TokenService,
    private readonly rateLimiter: LoginRateLimiter,
    private readonly config: AppConfig,
    private readonly realtime: RealtimePublisher,
    private readonly audit: AuditService,
  ) {}

  /**
   * Same answer, and about the same time, for an unknown email, a wrong password, a deactivated
   * user and one who has not chosen a password yet (null hash: the decoy is checked instead). The client IP was already counted before the body was parsed (registerLoginIpLimit).
   */
  async login(email: string, password: string): Promise<LoginResponse> {
    await this.rateLimiter.consumeEmail(email);
    const user = await this.users.findOne({ where: { email: email.toLowerCase() } });
    const passwordMatches = await verifyPassword(
      password,
      user?.passwordHash ?? (await decoyPasswordHash()),
    );
    if (!user || !passwordMatches || !user.active)
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    const organization = user.organizationId
      ? await this.organizations.findOneByOrFail({ id: user.organizationId })
      : null;
    // Only after the password matched: a stranger learns nothing about the organization.
    if (organization?.suspendedAt)
      throw new UnauthorizedException(
        'This organization is suspended: ask the platform operator to reinstate it',
      );

    user.lastLoginAt = new Date();
    await this.users.update({ id: user.id }, { lastLoginAt: user.lastLoginAt });
    const accessToken = await this.tokens.issue({
      sub: user.id,
      org: user.organizationId ?? '',
      role: user.role,
      sv: user.sessionVersion,
    });
    return { accessToken, user: toUserView(user, organization) };
  }

  /**
   * The caller changes their own password: the current one must match (400 naming it, counted
   * like a sign-in attempt). Bumps the session version, so every token issued before, on every api
   * node, is refused from now on (the guard reads it each request) and the user's sockets are
   * disconnected shortly after (PASSWORD_CHANGE_SOCKET_GRACE_MS) to authenticate again; the answer
   * carries a fresh token for this session.
   */
  async changePassword(
    caller: AuthUser,
    currentPassword: string,
    newPassword: string,
  ): Promise<LoginResponse> {
    await this.rateLimiter.consumeEmail(caller.email);
    const user = await this.users.findOneByOrFail({ id: caller.id });
    const matches = await verifyPassword(
      currentPassword,
      user.passwordHash ?? (await decoyPasswordHash()),
    );
    if (!matches) throw new BadRequestException('currentPassword is not your current password');
    if (newPassword === currentPassword)
      throw new BadRequestException('newPassword must differ from the current password');
    const passwordHash = await hashPassword(newPassword);
    const sessionVersion = await this.users.manager.transaction(async (manager) => {
      await manager.update(
        User,
        { id: user.id },
        { passwordHash, sessionVersion: () => 'session_version + 1' },
      );
      const { sessionVersion } = await manager.findOneOrFail(User, {
        where: { id: user.id },
        select: { id: true, sessionVersion: true },
      });
      // The user's own act. Neither password nor hash: the new session version says that every
      // earlier token of theirs is refused from now on.
      await this.audit.record(manager, {
        actor: caller,
        organizationId: user.organizationId,
        action: 'user.password_changed',
        target: { type: 'user', id: user.id },
        before: { email: user.email, hasPassword: true, sessionVersion: sessionVersion - 1 },
        after: { email: user.email, hasPassword: true, sessionVersion },
      });
      return sessionVersion;
    });
    setTimeout(
      () => this.realtime.disconnectUser(user.id),
      PASSWORD_CHANGE_SOCKET_GRACE_MS,
    ).unref();
    const organization = user.organizationId
      ? await this.organizations.findOneByOrFail({ id: user.organizationId })
      : null;
    const accessToken = await this.tokens.issue({
      sub: user.id,
      org: user.organizationId ?? '',
      role: user.role,
      sv: sessionVersion,
    });
    return { accessToken, user: toUserView(user, organization) };
  }

  /**
   * The seeded demo accounts that exist and are active, outside production only (the platform
   * operator included: the console's /platform part is its).
   */
  async demoAccounts(): Promise<{ items: { email: string; password: string; role: string }[] }> {
    if (this.config.isProduction) return { items: [] };
    const present = await this.users.find({
      where: { email: In(DEMO_CREDENTIALS.map((demo) => demo.email)), active: true },
      select: { email: true },
    });
    const emails = new Set(present.map((user) => user.email));
    return {
      items: DEMO_CREDENTIALS.filter((demo) => emails.has(demo.email)).map(
        ({ email, password, role }) => ({ email, password, role }),
      ),
    };
  }

  async me(userId: string, organizationId: string): Promise<UserView> {
    const user = await this.users.findOne({
      where: { id: userId, organizationId: organizationId || IsNull() },
    });
    if (!user) throw new NotFoundException('User not found');
    const organization = organizationId
      ? await this.organizations.findOneByOrFail({ id: organizationId })
      : null;
    return toUserView(user, organization);
  }
}
