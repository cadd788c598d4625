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
import { User, UserRole } from './entities/user.entity';
import { TokenService } from './token.service';
import { currentUserQuery, SESSION_ENDED } from './current-user';

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
    request.user = {
      id: user.id,
      organizationId: user.organizationId ?? '',
      role: user.role,
      email: user.email,
    };

    const audience =
      this.reflector.getAllAndOverride<RouteAudience | undefined>(AUDIENCE, targets) ??
      'organization';
    const operator = user.role === 'operator';
    if (audience === 'platform' && !operator)
      throw new ForbiddenException('Only platform operators may use /api/platform');
    if (audience === 'organization' && operator)
      throw new ForbiddenException(
        'Platform operators have no organization: use the /api/platform routes',
      );

    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(user.role)) {
      throw new ForbiddenException(`This action needs the ${roles.join(' or ')} role`);
    }
    return true;
  }
}
