import { MigrationInterface, QueryRunner } from 'typeorm';

export class DoNotCall1796189822713 implements MigrationInterface {
  name = 'DoNotCall1796189822713';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "dnc_numbers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "phone" character varying(32) NOT NULL, "reason" character varying(500), "source" character varying(20) NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7e692400b21f7ed8621c907b55c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "dnc_numbers_org_created_idx" ON "dnc_numbers"  ("organization_id", "created_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "dnc_numbers_org_phone_key" ON "dnc_numbers"  ("organization_id", "phone") `);
    await queryRunner.query(`CREATE TABLE "dnc_refusals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "phone" character varying(32) NOT NULL, "provider" character varying(20) NOT NULL, "user_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_124c3065716d24ad8ccbdd9d993" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "dnc_refusals_org_phone_idx" ON "dnc_refusals"  ("organization_id", "phone", "created_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."dnc_refusals_org_phone_idx"`);
    await queryRunner.query(`DROP TABLE "dnc_refusals"`);
    await queryRunner.query(`DROP INDEX "public"."dnc_numbers_org_phone_key"`);
    await queryRunner.query(`DROP INDEX "public"."dnc_numbers_org_created_idx"`);
    await queryRunner.query(`DROP TABLE "dnc_numbers"`);
  }
}
