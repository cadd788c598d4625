import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Organization } from '../auth/entities/organization.entity';
import { User } from '../auth/entities/user.entity';
import { hashPassword } from '../auth/password';
import { SetupLinksService } from '../auth/setup-links.service';
import { PricePlan } from '../billing/entities/price-plan.entity';
import { LedgerService } from '../wallet/ledger.service';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import {
  CreateOrganizationDto,
  CreatedOrganizationView,
  ListOrganizationsQuery,
  PlatformOrganizationList,
  PlatformOrganizationView,
  UpdatePlatformOrganizationDto,
} from './platform.dto';

interface OrganizationRow {
  id: string;
  name: string;
  default_country: string;
  created_at: Date;
  suspended_at: Date | null;
  suspension_reason: string | null;
  plan_id: string;
  plan_name: string;
  plan_default: boolean;
  users: string;
  currency: string | null;
  balance_micros: string | null;
  held_micros: string | null;
  credits_micros: string;
  topups_micros: string;
  last_topup_at: Date | null;
}

const toView = (row: OrganizationRow): PlatformOrganizationView => {
  const balance = BigInt(row.balance_micros ?? '0');
  const held = BigInt(row.held_micros ?? '0');
  return {
    id: row.id,
    name: row.name,
    defaultCountry: row.default_country,
    createdAt: row.created_at.toISOString(),
    suspendedAt: row.suspended_at?.toISOString() ?? null,
    suspensionReason: row.suspension_reason,
    pricePlan: { id: row.plan_id, name: row.plan_name, isDefault: row.plan_default },
    users: Number(row.users),
    wallet: {
      currency: row.currency ?? 'USD',
      balanceMicros: balance.toString(),
      heldMicros: held.toString(),
      availableMicros: (balance - held).toString(),
      creditsMicros: row.credits_micros,
      topUpsMicros: row.topups_micros,
      lastTopUpAt: row.last_topup_at?.toISOString() ?? null,
    },
  };
};

/** The platform operator's view of organizations: create with a first owner, suspend, price plan. */
@Injectable()
export class PlatformOrganizationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly setupLinks: SetupLinksService,
  ) {}

  async list(query: ListOrganizationsQuery): Promise<PlatformOrganizationList> {
    const rows = await this.select(this.dataSource.manager, {
      where:
        query.state === 'suspended'
          ? 'o.suspended_at IS NOT NULL'
          : query.state === 'active'
            ? 'o.suspended_at IS NULL'
            : 'TRUE',
    });
    return { items: rows.map(toView) };
  }

  async get(id: string, manager = this.dataSource.manager): Promise<PlatformOrganizationView> {
    const [row] = await this.select(manager, { where: 'o.id = $1', params: [id] });
    if (!row) throw new NotFoundException(`Organization ${id} not found`);
    return toView(row);
  }

  /**
   * The organization, its first owner and its wallet in one transaction. Without a password the
   * owner gets a one-time setup link (returned once) to choose it.
   */
  async create(operator: AuthUser, body: CreateOrganizationDto): Promise<CreatedOrganizationView> {
    const email = body.owner.email.toLowerCase();
    const passwordHash = body.owner.password ? await hashPassword(body.owner.password) : null;
    const { id, ownerSetup } = await this.dataSource.transaction(async (manager) => {
      if (body.pricePlanId) await this.requirePlan(manager, body.pricePlanId);
      if (await manager.existsBy(User, { email }))
        throw new ConflictException(`A user with the email ${email} already exists`);
      const organization = await manager.save(
        manager.create(Organization, {
          name: body.name,
          defaultCountry: body.defaultCountry ?? 'US',
          currency: 'USD',
          pricePlanId: body.pricePlanId ?? null,
        }),
      );
      const owner = await manager.insert(User, {
        organizationId: organization.id,
        email,
        name: body.owner.name,
        role: 'owner',
        passwordHash,
      });
      await this.ledger.ensureWallet(manager, organization.id);
      const ownerId = (owner.identifiers[0] as { id: string }).id;
      await this.audit.record(manager, {
        actor: operator,
        organizationId: organization.id,
        action: 'organization.created',
        target: { type: 'organization', id: organization.id },
        after: {
          name: organization.name,
          defaultCountry: organization.defaultCountry,
          pricePlanId: organization.pricePlanId,
          owner: { id: ownerId, email, name: body.owner.name },
        },
      });
      return {
        id: organization.id,
        ownerSetup: passwordHash
          ? null
          : await this.setupLinks.issue(manager, ownerId, operator.id),
      };
    });
    return { ...(await this.get(id)), ownerSetup };
  }

  async update(
    operator: AuthUser,
    id: string,
    body: UpdatePlatformOrganizationDto,
  ): Promise<PlatformOrganizationView> {
    return this.dataSource.transaction(async (manager) => {
      const organization = await manager.findOne(Organization, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!organization) throw new NotFoundException(`Organization ${id} not found`);
      if (body.pricePlanId) await this.requirePlan(manager, body.pricePlanId);
      const changes: Partial<Organization> = {};
      if (body.pricePlanId !== undefined) changes.pricePlanId = body.pricePlanId;
      if (body.suspended === true && !organization.suspendedAt) {
        changes.suspendedAt = new Date();
        changes.suspensionReason = body.suspensionReason ?? null;
      } else if (body.suspended === false) {
        changes.suspendedAt = null;
        changes.suspensionReason = null;
      } else if (body.suspensionReason !== undefined && organization.suspendedAt) {
        changes.suspensionReason = body.suspensionReason;
      }
      if (Object.keys(changes).length) {
        await manager.update(Organization, { id }, changes);
        const before = organizationState(organization);
        const after = organizationState({ ...organization, ...changes });
        await this.audit.record(manager, {
          actor: operator,
          organizationId: id,
          action:
            before.suspended !== after.suspended
              ? after.suspended
                ? 'organization.suspended'
                : 'organization.reinstated'
              : before.pricePlanId !== after.pricePlanId
                ? 'organization.price_plan_assigned'
                : 'organization.updated',
          target: { type: 'organization', id },
          before,
          after,
        });
      }
      return this.get(id, manager);
    });
  }

  private async requirePlan(manager: EntityManager, id: string): Promise<void> {
    if (!(await manager.existsBy(PricePlan, { id })))
      throw new NotFoundException(`Price plan ${id} not found`);
  }

  private select(
    manager: EntityManager,
    filter: { where: string; params?: unknown[] },
  ): Promise<OrganizationRow[]> {
    return manager.query(
      `SELECT o.id, o.name, o.default_country, o.created_at, o.suspended_at, o.suspension_reason,
              p.id AS plan_id, p.name AS plan_name, p.is_default AS plan_default,
              (SELECT count(*) FROM users u WHERE u.organization_id = o.id) AS users,
              w.currency, w.balance_micros, w.held_micros,
              (SELECT coalesce(sum(t.balance_change_micros), 0) FROM ledger_transactions t
                WHERE t.organization_id = o.id AND t.kind = 'adjustment')::text AS credits_micros,
              (SELECT coalesce(sum(t.balance_change_micros), 0) FROM ledger_transactions t
                WHERE t.organization_id = o.id AND t.kind = 'topup')::text AS topups_micros,
              (SELECT max(t.created_at) FROM ledger_transactions t
                WHERE t.organization_id = o.id AND t.kind = 'topup') AS last_topup_at
         FROM organizations o
         JOIN price_plans p ON p.id = coalesce(o.price_plan_id, (SELECT id FROM price_plans WHERE is_default))
         LEFT JOIN wallets w ON w.organization_id = o.id
        WHERE ${filter.where}
        ORDER BY o.created_at DESC, o.id
        LIMIT 1000`,
      filter.params ?? [],
    );
  }
}

/** What the audit log keeps of an organization's platform settings. */
function organizationState(
  organization: Pick<Organization, 'suspendedAt' | 'suspensionReason' | 'pricePlanId'>,
) {
  return {
    suspended: organization.suspendedAt !== null,
    suspendedAt: organization.suspendedAt?.toISOString() ?? null,
    suspensionReason: organization.suspensionReason,
    pricePlanId: organization.pricePlanId,
  };
}
