import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { AuthUser } from './auth-user';
import { AnyAudience, CurrentUser, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginDto, LoginResponse } from './login.dto';
import { UserView } from './user-view';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponse })
  @ApiTooManyRequestsResponse({ description: 'More than the allowed sign-in attempts in a minute' })
  login(@Body() body: LoginDto): Promise<LoginResponse> {
    return this.auth.login(body.email, body.password);
  }

  /** Outside production, the seeded demo accounts that exist, for the login page's hint. */
  @Public()
  @Get('demo-accounts')
  @ApiOkResponse({ description: 'Demo sign-ins for development; always empty in production' })
  demoAccounts(): Promise<{ items: { email: string; password: string; role: string }[] }> {
    return this.auth.demoAccounts();
  }

  @Get('me')
  @AnyAudience()
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserView })
  me(@CurrentUser() user: AuthUser): Promise<UserView> {
    return this.auth.me(user.id, user.organizationId);
  }
}
