import { MigrationInterface, QueryRunner } from 'typeorm';

export class ContactImportReports1796186001985 implements MigrationInterface {
  name = 'ContactImportReports1796186001985';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "contact_imports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "user_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "rows" integer NOT NULL DEFAULT '0', "created" integer NOT NULL DEFAULT '0', "updated" integer NOT NULL DEFAULT '0', "skipped" integer NOT NULL DEFAULT '0', "problems" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_4297d9cdb758eea151bbb09dddb" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "contact_imports_org_created_idx" ON "contact_imports"  ("organization_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "contact_import_problems" ("import_id" uuid NOT NULL, "line" integer NOT NULL, "outcome" character varying(10) NOT NULL, "contact_id" uuid, "reason" text NOT NULL, CONSTRAINT "PK_b9c425e872e479ff8ad48419bfd" PRIMARY KEY ("import_id", "line"))`);
    await queryRunner.query(`ALTER TABLE "contact_import_problems" ADD CONSTRAINT "FK_39506a191dd525aafd3d5bff562" FOREIGN KEY ("import_id") REFERENCES "contact_imports"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "contact_import_problems" DROP CONSTRAINT "FK_39506a191dd525aafd3d5bff562"`);
    await queryRunner.query(`DROP TABLE "contact_import_problems"`);
    await queryRunner.query(`DROP INDEX "public"."contact_imports_org_created_idx"`);
    await queryRunner.query(`DROP TABLE "contact_imports"`);
  }
}
