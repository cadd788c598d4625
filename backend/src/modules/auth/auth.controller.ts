import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { AuthUser } from './auth-user';
import { AnyAudience, CurrentUser, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginDto, LoginResponse } from './login.dto';
import { UserView } from './user-view';
import { ChangePasswordDto, CompleteSetupDto, SetupLinkInfo } from './setup-link.dto';
import { SetupLinksService } from './setup-links.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly setupLinks: SetupLinksService,
  ) {}

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

  /** Who a one-time setup link is for (the setup page shows it before the password is chosen). */
  @Public()
  @Get('setup/:token')
  @ApiOkResponse({ type: SetupLinkInfo })
  @ApiNotFoundResponse({ description: 'Not a setup link (or replaced by a newer one)' })
  @ApiGoneResponse({ description: 'Already used, expired, or its user was deactivated' })
  @ApiForbiddenResponse({ description: "The user's organization is suspended" })
  setupInfo(@Param('token') token: string): Promise<SetupLinkInfo> {
    return this.setupLinks.describe(token);
  }

  /** Chooses the password with a setup link, once, and signs in. */
  @Public()
  @Post('setup/:token')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponse })
  @ApiNotFoundResponse({ description: 'Not a setup link (or replaced by a newer one)' })
  @ApiGoneResponse({ description: 'Already used, expired, or its user was deactivated' })
  @ApiForbiddenResponse({ description: "The user's organization is suspended" })
  completeSetup(
    @Param('token') token: string,
    @Body() body: CompleteSetupDto,
  ): Promise<LoginResponse> {
    return this.setupLinks.complete(token, body.password);
  }

  /** Changes the caller's own password; every other session of theirs ends. */
  @Post('password')
  @AnyAudience()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOkResponse({ type: LoginResponse, description: 'A fresh token for this session' })
  @ApiBadRequestResponse({ description: 'currentPassword is wrong, or newPassword is too short' })
  changePassword(
    @CurrentUser() user: AuthUser,
    @Body() body: ChangePasswordDto,
  ): Promise<LoginResponse> {
    return this.auth.changePassword(user, body.currentPassword, body.newPassword);
  }

  @Get('me')
  @AnyAudience()
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserView })
  me(@CurrentUser() user: AuthUser): Promise<UserView> {
    return this.auth.me(user.id, user.organizationId);
  }
}
