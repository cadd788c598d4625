import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { User } from '../auth/entities/user.entity';
import { hashPassword } from '../auth/password';
import { SetupLinksService } from '../auth/setup-links.service';

/** Serializes the api nodes' bootstraps while they decide on the operator's setup link. */
const OPERATOR_SETUP_LOCK = 0x5b0a4d01;

/**
 * Creates the platform operator named by PLATFORM_OPERATOR_EMAIL at the api's start when no user
 * has that email (every api node may try: the unique email decides). With
 * PLATFORM_OPERATOR_PASSWORD the operator signs in with it; without, the operator is created with
 * no password and a one-time setup link is printed in the log; a later start prints a new one while
 * the operator has still not chosen a password and no link works (one node, under an advisory
 * lock, so nodes starting together do not void each other's link). An existing user's password is
 * never changed.
 */
@Injectable()
export class PlatformOperatorBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(PlatformOperatorBootstrap.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly setupLinks: SetupLinksService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.PLATFORM_OPERATOR_EMAIL?.toLowerCase();
    const password = this.config.PLATFORM_OPERATOR_PASSWORD;
    if (!email) {
      if (
        this.config.isProduction &&
        !(await this.dataSource.manager.existsBy(User, { role: 'operator' }))
      )
        this.logger.warn(
          'No platform operator exists: set PLATFORM_OPERATOR_EMAIL (and PLATFORM_OPERATOR_PASSWORD, or use the setup link printed at the next start) to create one',
        );
      return;
    }
    const existing = await this.dataSource.manager.findOne(User, {
      where: { email },
      select: { id: true, role: true, passwordHash: true },
    });
    if (existing) {
      if (existing.role !== 'operator')
        this.logger.error(
          `PLATFORM_OPERATOR_EMAIL ${email} belongs to an organization member: no operator created`,
        );
      else if (existing.passwordHash === null) await this.printSetupLink(existing.id, email, false);
      return;
    }
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(User)
      .values({
        organizationId: null,
        email,
        name: 'Platform operator',
        role: 'operator',
        passwordHash: password ? await hashPassword(password) : null,
      })
      .orIgnore()
      .execute();
    const created = result.identifiers[0] as { id: string } | undefined;
    if (!created) return; // another node created it
    this.logger.log(`Created the platform operator ${email}`);
    if (!password) await this.printSetupLink(created.id, email, true);
  }

  /** Issues and logs a setup link unless a working one exists (one node at a time). */
  private async printSetupLink(userId: string, email: string, created: boolean): Promise<void> {
    const link = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [OPERATOR_SETUP_LOCK]);
      const user = await manager.findOne(User, {
        where: { id: userId },
        select: { id: true, passwordHash: true },
      });
      if (!user || user.passwordHash !== null) return null;
      if (!created && (await this.setupLinks.hasLiveLink(manager, userId))) return null;
      return this.setupLinks.issue(manager, userId, null);
    });
    if (!link) {
      if (!created)
        this.logger.warn(
          `The platform operator ${email} has not chosen a password yet: use the setup link printed earlier (it works until it expires)`,
        );
      return;
    }
    this.logger.warn(
      `One-time setup link for the platform operator ${email} (works once, until ${link.expiresAt}): ${link.setupUrl}`,
    );
  }
}
