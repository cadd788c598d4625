import { MigrationInterface, QueryRunner } from 'typeorm';

export class OrganizationTimeZone1796196569292 implements MigrationInterface {
  name = 'OrganizationTimeZone1796196569292';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organizations" ADD "time_zone" character varying(64)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "time_zone"`);
  }
}
