import {
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, QueryFailedError, Repository } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { Organization } from '../auth/entities/organization.entity';
import { User } from '../auth/entities/user.entity';
import { hashPassword } from '../auth/password';
import { toUserView, UserView } from '../auth/user-view';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { SetupLinksService } from '../auth/setup-links.service';
import { SetupLink } from '../auth/setup-link.dto';
import { CreateUserDto, Invitation, InviteUserDto, UpdateUserDto } from './user.dto';

const UNIQUE_VIOLATION = '23505';

/** Admins manage the users of their own organization; every query is scoped to it. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
    private readonly realtime: RealtimePublisher,
    private readonly setupLinks: SetupLinksService,
  ) {}

  async list(caller: AuthUser): Promise<UserView[]> {
    const organization = await this.organization(caller);
    const users = await this.users.find({
      where: { organizationId: caller.organizationId },
      order: { createdAt: 'ASC' },
    });
    return users.map((user) => toUserView(user, organization));
  }

  async get(caller: AuthUser, id: string): Promise<UserView> {
    return toUserView(await this.find(caller, id), await this.organization(caller));
  }

  async create(caller: AuthUser, input: CreateUserDto): Promise<UserView> {
    if (input.role === 'owner' && caller.role !== 'owner') {
      throw new ForbiddenException('Only an owner can create another owner');
    }
    const user = this.users.create({
      organizationId: caller.organizationId,
      email: input.email,
      name: input.name,
      role: input.role,
      passwordHash: await hashPassword(input.password),
    });
    await this.insert(this.users.manager, user);
    return this.get(caller, user.id);
  }

  /**
   * Creates the user without a password, with a one-time setup link shown once to the admin, who
   * sends it (Switchboard sends no email). The user exists with the link or not at all.
   */
  async invite(caller: AuthUser, input: InviteUserDto): Promise<Invitation> {
    if (input.role === 'owner' && caller.role !== 'owner') {
      throw new ForbiddenException('Only an owner can invite another owner');
    }
    const { id, link } = await this.users.manager.transaction(async (manager) => {
      const user = manager.create(User, {
        organizationId: caller.organizationId,
        email: input.email,
        name: input.name,
        role: input.role,
        passwordHash: null,
      });
      await this.insert(manager, user);
      return { id: user.id, link: await this.setupLinks.issue(manager, user.id, caller.id) };
    });
    return { ...link, user: await this.get(caller, id) };
  }

  /**
   * A new setup link for a user who has not chosen a password yet (the earlier link stops
   * working): 409 once they have one.
   */
  async reissueSetupLink(caller: AuthUser, id: string): Promise<SetupLink> {
    const user = await this.find(caller, id);
    if (user.passwordHash !== null)
      throw new ConflictException(
        `${user.email} has already chosen a password: a setup link is only for a user who has not`,
      );
    if (!user.active)
      throw new ConflictException(`${user.email} is deactivated: reactivate them first`);
    if (user.role === 'owner' && caller.role !== 'owner')
      throw new ForbiddenException("Only an owner can issue an owner's setup link");
    return this.users.manager.transaction((manager) =>
      this.setupLinks.issue(manager, user.id, caller.id),
    );
  }

  private async insert(manager: EntityManager, user: User): Promise<void> {
    try {
      await manager.insert(User, user);
    } catch (error) {
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
      ) {
        throw new ConflictException(`email ${user.email} is already in use`);
      }
      throw error;
    }
  }

  async update(caller: AuthUser, id: string, changes: UpdateUserDto): Promise<UserView> {
    const user = await this.find(caller, id);
    const touchesOwner = user.role === 'owner' || changes.role === 'owner';
    if (
      touchesOwner &&
      caller.role !== 'owner' &&
      (changes.role !== undefined || changes.active !== undefined)
    ) {
      throw new ForbiddenException('Only an owner can change an owner or make someone an owner');
    }
    if (user.id === caller.id && (changes.role !== undefined || changes.active === false)) {
      throw new ForbiddenException('You cannot change your own role or deactivate yourself');
    }
    await this.users.update(
      { id: user.id, organizationId: caller.organizationId },
      { name: changes.name, role: changes.role, active: changes.active },
    );
    // Open sockets were let into rooms by the old role: they reconnect and are checked again.
    const roleChanged = changes.role !== undefined && changes.role !== user.role;
    const activeChanged = changes.active !== undefined && changes.active !== user.active;
    if (roleChanged || activeChanged) this.realtime.disconnectUser(user.id);
    return this.get(caller, id);
  }

  private async find(caller: AuthUser, id: string): Promise<User> {
    // Another organization's user is "not found": never reveal that the id exists.
    const user = await this.users.findOne({ where: { id, organizationId: caller.organizationId } });
    if (!user) throw new NotFoundException(`User ${id} not found`);
    return user;
  }

  private organization(caller: AuthUser): Promise<Organization> {
    return this.organizations.findOneByOrFail({ id: caller.organizationId });
  }
}
