import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { User } from '../auth/entities/user.entity';
import { hashPassword } from '../auth/password';

/**
 * Creates the platform operator named by PLATFORM_OPERATOR_EMAIL / PLATFORM_OPERATOR_PASSWORD at
 * the api's start when no user has that email (every api node may try: the unique email decides).
 * An existing user is never changed: the password only seeds the first start.
 */
@Injectable()
export class PlatformOperatorBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(PlatformOperatorBootstrap.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.PLATFORM_OPERATOR_EMAIL?.toLowerCase();
    const password = this.config.PLATFORM_OPERATOR_PASSWORD;
    if (!email || !password) {
      if (
        this.config.isProduction &&
        !(await this.dataSource.manager.existsBy(User, { role: 'operator' }))
      )
        this.logger.warn(
          'No platform operator exists: set PLATFORM_OPERATOR_EMAIL and PLATFORM_OPERATOR_PASSWORD to create one',
        );
      return;
    }
    const existing = await this.dataSource.manager.findOne(User, {
      where: { email },
      select: { id: true, role: true },
    });
    if (existing) {
      if (existing.role !== 'operator')
        this.logger.error(
          `PLATFORM_OPERATOR_EMAIL ${email} belongs to an organization member: no operator created`,
        );
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
        passwordHash: await hashPassword(password),
      })
      .orIgnore()
      .execute();
    if (result.identifiers.length > 0) this.logger.log(`Created the platform operator ${email}`);
  }
}
