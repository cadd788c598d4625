import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  AUDIENCE,
  AuthenticatedRequest,
  IS_PUBLIC,
  REQUIRED_ROLES,
  RouteAudience,
} from './auth.decorators';
import { ORGANIZATION_ROLES, User, UserRole } from './entities/user.entity';
import { TokenService } from './token.service';
import { currentUserQuery, SESSION_ENDED } from './current-user';
import { ApiKeysService, looksLikeApiKey } from '../api-keys/api-keys.service';
import { AuthUser } from './auth-user';

/**
 * Global guard: every route needs a valid bearer token of an active user unless marked @Public(),
 * and the user's role must be one of @Roles() when the route names some. Platform operators reach
 * only @Platform() (and @AnyAudience()) routes, organization members every other one; a member of a
 * suspended organization is refused as if signed out.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token)
      throw new UnauthorizedException('Missing access token: send Authorization: Bearer <token>');

    const caller = looksLikeApiKey(token)
      ? await this.apiKeyCaller(token)
      : await this.tokenCaller(token);
    request.user = caller;

    const audience =
      this.reflector.getAllAndOverride<RouteAudience | undefined>(AUDIENCE, targets) ??
      'organization';
    const operator = caller.role === 'operator';
    if (audience === 'platform' && !operator)
      throw new ForbiddenException('Only platform operators may use /api/platform');
    if (audience === 'organization' && operator)
      throw new ForbiddenException(
        'Platform operators have no organization: use the /api/platform routes',
      );

    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(caller.role)) {
      throw new ForbiddenException(`This action needs the ${roles.join(' or ')} role`);
    }
    return true;
  }

  private async tokenCaller(token: string): Promise<AuthUser> {
    const claims = await this.tokens.verify(token);
    if (!claims) throw new UnauthorizedException('Invalid or expired access token');

    // Read the user each time so a deactivation, role change or suspension takes effect at once.
    const user = await this.users.findOne(currentUserQuery(claims.sub));
    if (!user || !user.active || (user.organizationId ?? '') !== claims.org)
      throw new UnauthorizedException('This account is no longer active');
    // A password change bumps the version: every token issued before it is refused at once.
    if (user.sessionVersion !== claims.sv) throw new UnauthorizedException(SESSION_ENDED);
    if (user.organization?.suspendedAt)
      throw new UnauthorizedException('This organization is suspended');
    return {
      id: user.id,
      organizationId: user.organizationId ?? '',
      role: user.role,
      email: user.email,
    };
  }

  /**
   * An API key acts as the owner who created it, with the key's role, never more than the creator
   * has now (an owner demoted to agent leaves their admin keys acting as agents). Read on every
   * request: a revoked key, a deactivated creator or a suspended organization is refused at once.
   */
  private async apiKeyCaller(secret: string): Promise<AuthUser> {
    const key = await this.apiKeys.authenticate(secret);
    if (!key) throw new UnauthorizedException('Invalid or revoked API key');
    const creator = await this.users.findOne(currentUserQuery(key.createdBy, key.organizationId));
    if (!creator || !creator.active)
      throw new UnauthorizedException('The user who created this API key is no longer active');
    if (creator.organization?.suspendedAt)
      throw new UnauthorizedException('This organization is suspended');
    return {
      id: creator.id,
      organizationId: key.organizationId,
      role: lesserRole(key.role, creator.role),
      email: creator.email,
      apiKeyId: key.id,
      apiKeyName: key.name,
    };
  }
}

/** The less privileged of two organization roles (ORGANIZATION_ROLES runs from most to least). */
function lesserRole(a: UserRole, b: UserRole): UserRole {
  const rank = (role: UserRole) => (ORGANIZATION_ROLES as readonly string[]).indexOf(role);
  return rank(a) >= rank(b) ? a : b;
}
