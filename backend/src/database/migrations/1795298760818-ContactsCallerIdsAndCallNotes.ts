import { MigrationInterface, QueryRunner } from 'typeorm';

export class ContactsCallerIdsAndCallNotes1795298760818 implements MigrationInterface {
  name = 'ContactsCallerIdsAndCallNotes1795298760818';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "contacts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "sort_name" character varying(200) NOT NULL, "phone" character varying(32) NOT NULL, "country" character(2), "email" character varying(320), "company" character varying(200), "tags" text array NOT NULL DEFAULT '{}', "notes" text, "last_called_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b99cd40cfd66a99f1571f4f72e6" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "contacts_org_name_idx" ON "contacts"  ("organization_id", "sort_name", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "contacts_org_phone_key" ON "contacts"  ("organization_id", "phone") WHERE "deleted_at" IS NULL`);
    await queryRunner.query(`CREATE TABLE "caller_ids" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "number" character varying(32) NOT NULL, "label" character varying(100) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_911709b42e4270ba1e6aece10a3" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "caller_ids_org_number_key" ON "caller_ids"  ("organization_id", "number") `);
    await queryRunner.query(`ALTER TABLE "calls" ADD "note" text`);
    await queryRunner.query(`ALTER TABLE "calls" ADD "disposition" character varying(40)`);
    await queryRunner.query(`ALTER TABLE "calls" ADD CONSTRAINT "FK_167960acbda6d6c9ac20b4f0080" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "calls" DROP CONSTRAINT "FK_167960acbda6d6c9ac20b4f0080"`);
    await queryRunner.query(`ALTER TABLE "calls" DROP COLUMN "disposition"`);
    await queryRunner.query(`ALTER TABLE "calls" DROP COLUMN "note"`);
    await queryRunner.query(`DROP INDEX "public"."caller_ids_org_number_key"`);
    await queryRunner.query(`DROP TABLE "caller_ids"`);
    await queryRunner.query(`DROP INDEX "public"."contacts_org_phone_key"`);
    await queryRunner.query(`DROP INDEX "public"."contacts_org_name_idx"`);
    await queryRunner.query(`DROP TABLE "contacts"`);
  }
}
