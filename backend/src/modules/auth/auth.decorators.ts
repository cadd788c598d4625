import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthUser } from './auth-user';
import { UserRole } from './entities/user.entity';

export const IS_PUBLIC = 'switchboard:isPublic';
export const REQUIRED_ROLES = 'switchboard:roles';
export const AUDIENCE = 'switchboard:audience';

/** Who a route is for: organization members (the default), platform operators, or both. */
export type RouteAudience = 'organization' | 'platform' | 'any';

/** The route needs no access token (login, health, provider webhooks). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route; others get 403. */
export const Roles = (...roles: UserRole[]) => SetMetadata(REQUIRED_ROLES, roles);

/** Platform operators only (`/api/platform/...`); organization members get 403. */
export const Platform = () => SetMetadata(AUDIENCE, 'platform' satisfies RouteAudience);

/** Operators and organization members alike (who am I). */
export const AnyAudience = () => SetMetadata(AUDIENCE, 'any' satisfies RouteAudience);

export type AuthenticatedRequest = FastifyRequest & { user?: AuthUser };

/** The authenticated caller (set by AuthGuard). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  return request.user as AuthUser;
});
