import { Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { DEMO_CREDENTIALS } from '../../database/seed';
import { Organization } from './entities/organization.entity';
import { User } from './entities/user.entity';
import { LoginRateLimiter } from './login-rate-limiter';
import { LoginResponse } from './login.dto';
import { decoyPasswordHash, verifyPassword } from './password';
import { TokenService } from './token.service';
import { toUserView, UserView } from './user-view';

const INVALID_CREDENTIALS = 'Invalid email or password';

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
    private readonly tokens: TokenService,
    private readonly rateLimiter: LoginRateLimiter,
    private readonly config: AppConfig,
  ) {}

  /**
   * Same answer, and about the same time, for an unknown email, a wrong password and a deactivated
   * user. The client IP was already counted before the body was parsed (registerLoginIpLimit).
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

    await this.users.update({ id: user.id }, { lastLoginAt: new Date() });
    const accessToken = await this.tokens.issue({
      sub: user.id,
      org: user.organizationId ?? '',
      role: user.role,
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
