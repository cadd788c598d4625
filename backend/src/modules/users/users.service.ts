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
import { AuditService } from '../audit/audit.service';
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
    private readonly audit: AuditService,
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
    await this.users.manager.transaction((manager) => this.insert(manager, caller, user));
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
      await this.insert(manager, caller, user, 'user.invited');
      return { id: user.id, link: await this.setupLinks.issue(manager, user.id, caller.id) };
    });
    return { ...link, user: await this.get(caller, id) };
  }

  /**
   * A new setup link for a user who has not chosen a password yet (the earlier link stops
   * working): 409 once they have one.
   */
  async reissueSetupLink(caller: AuthUser, id: string): Promise<SetupLink> {
    await this.find(caller, id);
    return this.users.manager.transaction(async (manager) => {
      // Locked: a link cannot be issued while the user completes the setup with the previous one.
      const user = await manager.findOneOrFail(User, {
        where: { id, organizationId: caller.organizationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (user.passwordHash !== null)
        throw new ConflictException(
          `${user.email} has already chosen a password: a setup link is only for a user who has not`,
        );
      if (!user.active)
        throw new ConflictException(`${user.email} is deactivated: reactivate them first`);
      if (user.role === 'owner' && caller.role !== 'owner')
        throw new ForbiddenException("Only an owner can issue an owner's setup link");
      const previous = await this.setupLinks.liveLinkExpiresAt(manager, user.id);
      const link = await this.setupLinks.issue(manager, user.id, caller.id);
      // When the links expire, never the links themselves: whoever holds one sets the password.
      await this.audit.record(manager, {
        actor: caller,
        organizationId: caller.organizationId,
        action: 'user.setup_link_issued',
        target: { type: 'user', id: user.id },
        before: { email: user.email, setupLinkExpiresAt: previous?.toISOString() ?? null },
        after: { email: user.email, setupLinkExpiresAt: link.expiresAt },
      });
      return link;
    });
  }

  /** Inserts the user with its audit row, in the caller's transaction. */
  private async insert(
    manager: EntityManager,
    caller: AuthUser,
    user: User,
    action: 'user.created' | 'user.invited' = 'user.created',
  ): Promise<void> {
    try {
      await manager.insert(User, user);
      await this.audit.record(manager, {
        actor: caller,
        organizationId: caller.organizationId,
        action,
        target: { type: 'user', id: user.id },
        after: auditState(user),
      });
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
    const after = {
      ...user,
      name: changes.name ?? user.name,
      role: changes.role ?? user.role,
      active: changes.active ?? user.active,
    };
    await this.users.manager.transaction(async (manager) => {
      await manager.update(
        User,
        { id: user.id, organizationId: caller.organizationId },
        { name: changes.name, role: changes.role, active: changes.active },
      );
      const action =
        after.role !== user.role
          ? 'user.role_changed'
          : after.active !== user.active
            ? after.active
              ? 'user.reactivated'
              : 'user.deactivated'
            : after.name !== user.name
              ? 'user.updated'
              : null;
      if (action)
        await this.audit.record(manager, {
          actor: caller,
          organizationId: caller.organizationId,
          action,
          target: { type: 'user', id: user.id },
          before: auditState(user),
          after: auditState(after),
        });
    });
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

/** What the audit log keeps of a user (never the password hash). */
function auditState(user: Pick<User, 'email' | 'name' | 'role' | 'active'>) {
  return { email: user.email, name: user.name, role: user.role, active: user.active ?? true };
}
