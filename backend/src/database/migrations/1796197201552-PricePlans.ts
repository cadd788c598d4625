import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rates move into price plans. The default deck (rates with no organization) becomes the default
 * plan; each organization that had its own overrides gets a plan of its own holding them (named
 * after it), assigned to it, so every organization keeps paying what it paid.
 */
export class PricePlans1796197201552 implements MigrationInterface {
  name = 'PricePlans1796197201552';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "price_plans" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(120) NOT NULL, "is_default" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c978391ad7172d3a27d8eb5306d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "price_plans_one_default" ON "price_plans"  ("is_default") WHERE "is_default"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "price_plans_name_key" ON "price_plans"  ("name") `);
    await queryRunner.query(`INSERT INTO "price_plans" ("name", "is_default") VALUES ('Default', true)`);
    await queryRunner.query(`INSERT INTO "price_plans" ("name")
      SELECT left(o."name", 100) || ' (' || left(o."id"::text, 8) || ')' FROM "organizations" o
       WHERE EXISTS (SELECT 1 FROM "rates" r WHERE r."organization_id" = o."id")`);
    await queryRunner.query(`UPDATE "organizations" o SET "price_plan_id" = p."id" FROM "price_plans" p
      WHERE p."name" = left(o."name", 100) || ' (' || left(o."id"::text, 8) || ')'`);
    await queryRunner.query(`DROP INDEX "public"."rates_org_prefix_key"`);
    await queryRunner.query(`DROP INDEX "public"."rates_default_prefix_key"`);
    await queryRunner.query(`ALTER TABLE "rates" RENAME COLUMN "organization_id" TO "price_plan_id"`);
    await queryRunner.query(`UPDATE "rates" r SET "price_plan_id" = o."price_plan_id" FROM "organizations" o WHERE r."price_plan_id" = o."id"`);
    await queryRunner.query(`UPDATE "rates" SET "price_plan_id" = (SELECT "id" FROM "price_plans" WHERE "is_default") WHERE "price_plan_id" IS NULL`);
    await queryRunner.query(`ALTER TABLE "rates" ALTER COLUMN "price_plan_id" SET NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "rates_plan_prefix_key" ON "rates"  ("price_plan_id", "prefix") `);
    await queryRunner.query(`ALTER TABLE "rates" ADD CONSTRAINT "FK_68a4ceb0b2229c01bbd8562c066" FOREIGN KEY ("price_plan_id") REFERENCES "price_plans"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "organizations" ADD CONSTRAINT "organizations_price_plan_fk" FOREIGN KEY ("price_plan_id") REFERENCES "price_plans"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organizations" DROP CONSTRAINT "organizations_price_plan_fk"`);
    await queryRunner.query(`ALTER TABLE "rates" DROP CONSTRAINT "FK_68a4ceb0b2229c01bbd8562c066"`);
    await queryRunner.query(`DROP INDEX "public"."rates_plan_prefix_key"`);
    await queryRunner.query(`ALTER TABLE "rates" ALTER COLUMN "price_plan_id" DROP NOT NULL`);
    // Back to per-organization overrides: a plan's rates go to the organizations using it; other plans' rates are dropped.
    await queryRunner.query(`INSERT INTO "rates" ("price_plan_id", "prefix", "description", "currency", "rate_per_minute_micros", "initial_increment", "subsequent_increment", "minimum_seconds")
      SELECT o."id", r."prefix", r."description", r."currency", r."rate_per_minute_micros", r."initial_increment", r."subsequent_increment", r."minimum_seconds"
        FROM "rates" r JOIN "organizations" o ON o."price_plan_id" = r."price_plan_id"`);
    await queryRunner.query(`DELETE FROM "rates" r USING "price_plans" p WHERE r."price_plan_id" = p."id" AND NOT p."is_default"`);
    await queryRunner.query(`UPDATE "rates" r SET "price_plan_id" = NULL FROM "price_plans" p WHERE r."price_plan_id" = p."id"`);
    await queryRunner.query(`UPDATE "organizations" SET "price_plan_id" = NULL`);
    await queryRunner.query(`DROP INDEX "public"."price_plans_name_key"`);
    await queryRunner.query(`DROP INDEX "public"."price_plans_one_default"`);
    await queryRunner.query(`DROP TABLE "price_plans"`);
    await queryRunner.query(`ALTER TABLE "rates" RENAME COLUMN "price_plan_id" TO "organization_id"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "rates_default_prefix_key" ON "rates" USING btree ("prefix") WHERE (organization_id IS NULL)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "rates_org_prefix_key" ON "rates" USING btree ("organization_id", "prefix") WHERE (organization_id IS NOT NULL)`);
  }
}
