import { Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
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
  ) {}

  /** Same answer, and about the same time, for an unknown email, a wrong password and a deactivated user. */
  async login(email: string, password: string, clientIp: string): Promise<LoginResponse> {
    await this.rateLimiter.consume(clientIp, email);
    const user = await this.users.findOne({ where: { email: email.toLowerCase() } });
    const passwordMatches = await verifyPassword(
      password,
      user?.passwordHash ?? (await decoyPasswordHash()),
    );
    if (!user || !passwordMatches || !user.active)
      throw new UnauthorizedException(INVALID_CREDENTIALS);

    await this.users.update({ id: user.id }, { lastLoginAt: new Date() });
    const organization = await this.organizations.findOneByOrFail({ id: user.organizationId });
    const accessToken = await this.tokens.issue({
      sub: user.id,
      org: user.organizationId,
      role: user.role,
    });
    return { accessToken, user: toUserView(user, organization) };
  }

  async me(userId: string, organizationId: string): Promise<UserView> {
    const user = await this.users.findOne({ where: { id: userId, organizationId } });
    if (!user) throw new NotFoundException('User not found');
    const organization = await this.organizations.findOneByOrFail({ id: organizationId });
    return toUserView(user, organization);
  }
}
