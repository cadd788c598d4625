import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Platform operators (users with no organization) and organization suspension.
 * The role enum is rebuilt rather than extended with ADD VALUE: a value added in a transaction
 * cannot be used (by the CHECK below) before that transaction commits.
 */
export class OperatorsAndSuspension1796197016099 implements MigrationInterface {
  name = 'OperatorsAndSuspension1796197016099';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organizations" ADD "suspended_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "organizations" ADD "suspension_reason" character varying(300)`);
    await queryRunner.query(`ALTER TABLE "organizations" ADD "price_plan_id" uuid`);
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "organization_id" DROP NOT NULL`);
    await queryRunner.query(`ALTER TYPE "public"."user_role" RENAME TO "user_role_old"`);
    await queryRunner.query(`CREATE TYPE "public"."user_role" AS ENUM('owner', 'admin', 'agent', 'operator')`);
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "role" TYPE "public"."user_role" USING "role"::"text"::"public"."user_role"`);
    await queryRunner.query(`DROP TYPE "public"."user_role_old"`);
    await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "users_operator_has_no_organization" CHECK (("role" = 'operator') = ("organization_id" IS NULL))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_operator_has_no_organization"`);
    await queryRunner.query(`DELETE FROM "users" WHERE "role" = 'operator'`);
    await queryRunner.query(`CREATE TYPE "public"."user_role_old" AS ENUM('owner', 'admin', 'agent')`);
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "role" TYPE "public"."user_role_old" USING "role"::"text"::"public"."user_role_old"`);
    await queryRunner.query(`DROP TYPE "public"."user_role"`);
    await queryRunner.query(`ALTER TYPE "public"."user_role_old" RENAME TO "user_role"`);
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "organization_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "price_plan_id"`);
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "suspension_reason"`);
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "suspended_at"`);
  }
}
