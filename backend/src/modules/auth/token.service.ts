import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { UserRole } from './entities/user.entity';

export interface AccessTokenClaims {
  sub: string;
  /** The organization id; empty for a platform operator. */
  org: string;
  role: UserRole;
  /**
   * The user's session version when the token was issued (users.session_version); a password
   * change bumps it, which ends every older token. Absent in tokens from before it existed: 0.
   */
  sv?: number;
}

/** Issues and checks access tokens; used by the REST guard and the socket gateway. */
@Injectable()
export class TokenService {
  constructor(private readonly jwt: JwtService) {}

  issue(claims: AccessTokenClaims): Promise<string> {
    return this.jwt.signAsync(claims);
  }

  /** Returns the claims, or null when the token is malformed, tampered with or expired. */
  async verify(token: string): Promise<AccessTokenClaims | null> {
    try {
      const claims = await this.jwt.verifyAsync<AccessTokenClaims>(token);
      if (typeof claims.sub !== 'string' || typeof claims.org !== 'string') return null;
      return { ...claims, sv: typeof claims.sv === 'number' ? claims.sv : 0 };
    } catch {
      return null;
    }
  }
}
