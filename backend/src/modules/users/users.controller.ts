import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { UserView } from '../auth/user-view';
import { CreateUserDto, Invitation, InviteUserDto, UpdateUserDto, UserList } from './user.dto';
import { SetupLink } from '../auth/setup-link.dto';
import { UsersService } from './users.service';
import { IdParam } from '../../common/errors';

@ApiTags('users')
@ApiBearerAuth()
@Roles('owner', 'admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: UserList })
  async list(@CurrentUser() caller: AuthUser): Promise<UserList> {
    return { items: await this.users.list(caller) };
  }

  @Get(':id')
  @ApiOkResponse({ type: UserView })
  get(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<UserView> {
    return this.users.get(caller, id);
  }

  @Post()
  @ApiCreatedResponse({ type: UserView })
  create(@CurrentUser() caller: AuthUser, @Body() body: CreateUserDto): Promise<UserView> {
    return this.users.create(caller, body);
  }

  /** Invites a user: created without a password, with a one-time setup link shown once. */
  @Post('invitations')
  @ApiCreatedResponse({ type: Invitation })
  invite(@CurrentUser() caller: AuthUser, @Body() body: InviteUserDto): Promise<Invitation> {
    return this.users.invite(caller, body);
  }

  /** A new setup link for a user who has not chosen a password yet; the earlier one stops working. */
  @Post(':id/setup-link')
  @ApiCreatedResponse({ type: SetupLink })
  reissueSetupLink(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<SetupLink> {
    return this.users.reissueSetupLink(caller, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: UserView })
  update(
    @CurrentUser() caller: AuthUser,
    @IdParam() id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserView> {
    return this.users.update(caller, id, body);
  }
}
