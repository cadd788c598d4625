import { ForbiddenException, GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { Organization } from './entities/organization.entity';
import { UserSetupToken } from './entities/user-setup-token.entity';
import { User } from './entities/user.entity';
import { LoginResponse } from './login.dto';
import { hashPassword } from './password';
import { SetupLink, SetupLinkInfo } from './setup-link.dto';
import { TokenService } from './token.service';
import { toUserView } from './user-view';

/** How long a setup link works. */
export const SETUP_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** 32 random bytes in base64url: 43 characters. Anything else is not a link we issued. */
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

const NOT_FOUND = 'This setup link is not valid: ask your administrator for a new one';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * One-time setup links: a user created without a password (invited by an admin, the first owner
 * of an organization, the operator of a new installation) chooses it with the link, once, before
 * it expires, and is signed in. Switchboard sends no email: whoever issues the link is shown it
 * once and sends it themselves. Only the token's hash is stored.
 */
@Injectable()
export class SetupLinksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
  ) {}

  /**
   * A new link for the user, in the caller's transaction; the user's earlier unused links stop
   * working (the latest one shown is the only one that works).
   */
  async issue(
    manager: EntityManager,
    userId: string,
    createdBy: string | null,
  ): Promise<SetupLink> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SETUP_LINK_TTL_MS);
    await manager.delete(UserSetupToken, { userId, usedAt: IsNull() });
    await manager.insert(UserSetupToken, {
      userId,
      tokenHash: sha256(token),
      createdBy,
      expiresAt,
    });
    const base = this.config.PUBLIC_BASE_URL.replace(/\/+$/, '');
    return { setupUrl: `${base}/setup/${token}`, expiresAt: expiresAt.toISOString() };
  }

  /** Whether the user has an unused, unexpired link (the operator bootstrap asks). */
  async hasLiveLink(manager: EntityManager, userId: string): Promise<boolean> {
    return manager
      .createQueryBuilder(UserSetupToken, 't')
      .where('t.user_id = :userId AND t.used_at IS NULL AND t.expires_at > now()', { userId })
      .getExists();
  }

  /** When the user's live (unused, unexpired) link expires; null without one. */
  async liveLinkExpiresAt(manager: EntityManager, userId: string): Promise<Date | null> {
    const live = await manager
      .createQueryBuilder(UserSetupToken, 't')
      .where('t.user_id = :userId AND t.used_at IS NULL AND t.expires_at > now()', { userId })
      .orderBy('t.expires_at', 'DESC')
      .getOne();
    return live?.expiresAt ?? null;
  }

  /** Who the link is for, for the setup page; 404 unknown, 410 used or expired, 403 suspended. */
  async describe(token: string): Promise<SetupLinkInfo> {
    const row = await this.find(this.dataSource.manager, token, false);
    const { user, organization } = await this.usable(this.dataSource.manager, row);
    return {
      email: user.email,
      name: user.name,
      role: user.role,
      organizationName: organization?.name ?? null,
      expiresAt: row.expiresAt.toISOString(),
    };
  }

  /**
   * Sets the password and consumes the link, exactly once: the token row is locked, so of
   * concurrent uses one sets the password and the others find it used (410). Signs the user in.
   */
  async complete(token: string, password: string): Promise<LoginResponse> {
    if (!TOKEN_FORMAT.test(token)) throw new NotFoundException(NOT_FOUND);
    const passwordHash = await hashPassword(password); // outside the transaction: ~50 ms
    const { user, organization, sessionVersion } = await this.dataSource.transaction(
      async (manager) => {
        const row = await this.find(manager, token, true);
        const found = await this.usable(manager, row);
        await manager.update(UserSetupToken, { id: row.id }, { usedAt: () => 'now()' });
        await manager.update(
          User,
          { id: row.userId },
          { passwordHash, sessionVersion: () => 'session_version + 1', lastLoginAt: new Date() },
        );
        const user = await manager.findOneByOrFail(User, { id: row.userId });
        // The user's own act (they hold the link): never the password, its hash or the token.
        await this.audit.record(manager, {
          actor: {
            id: user.id,
            organizationId: user.organizationId ?? '',
            role: user.role,
            email: user.email,
          },
          organizationId: user.organizationId,
          action: 'user.setup_completed',
          target: { type: 'user', id: user.id },
          before: {
            email: user.email,
            hasPassword: found.user.passwordHash !== null,
            sessionVersion: found.user.sessionVersion,
          },
          after: { email: user.email, hasPassword: true, sessionVersion: user.sessionVersion },
        });
        return { user, organization: found.organization, sessionVersion: user.sessionVersion };
      },
    );
    const accessToken = await this.tokens.issue({
      sub: user.id,
      org: user.organizationId ?? '',
      role: user.role,
      sv: sessionVersion,
    });
    return { accessToken, user: toUserView(user, organization) };
  }

  private async find(
    manager: EntityManager,
    token: string,
    lock: boolean,
  ): Promise<UserSetupToken> {
    if (!TOKEN_FORMAT.test(token)) throw new NotFoundException(NOT_FOUND);
    const row = await manager.findOne(UserSetupToken, {
      where: { tokenHash: sha256(token) },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!row) throw new NotFoundException(NOT_FOUND);
    return row;
  }

  private async usable(
    manager: EntityManager,
    row: UserSetupToken,
  ): Promise<{ user: User; organization: Organization | null }> {
    if (row.usedAt)
      throw new GoneException(
        'This setup link was already used: sign in with the password chosen then',
      );
    if (row.expiresAt.getTime() <= Date.now())
      throw new GoneException(
        'This setup link has expired (links work for 7 days): ask your administrator for a new one',
      );
    const user = await manager.findOneByOrFail(User, { id: row.userId });
    if (!user.active)
      throw new GoneException('This account was deactivated: ask your administrator');
    const organization = user.organizationId
      ? await manager.findOneByOrFail(Organization, { id: user.organizationId })
      : null;
    if (organization?.suspendedAt)
      throw new ForbiddenException(
        'This organization is suspended: ask the platform operator to reinstate it',
      );
    return { user, organization };
  }
}
