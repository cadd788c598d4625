import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People: one-time setup links (stored as SHA-256 only), users without a password until they use
 * theirs (password_hash NULL), and the session version every access token is checked against.
 */
export class SetupLinksAndSessionVersion1796216366246 implements MigrationInterface {
  name = 'SetupLinksAndSessionVersion1796216366246';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "user_setup_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "created_by" uuid, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e4e595704cb341675e08e9ba12c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "user_setup_tokens_token_hash_key" ON "user_setup_tokens"  ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "user_setup_tokens_user_idx" ON "user_setup_tokens"  ("user_id") `);
    await queryRunner.query(`ALTER TABLE "users" ADD "session_version" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "user_setup_tokens" ADD CONSTRAINT "FK_a46cdba4343a785adc95d5af2ef" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user_setup_tokens" DROP CONSTRAINT "FK_a46cdba4343a785adc95d5af2ef"`);
    // Users still waiting for their setup link get a hash no password matches.
    await queryRunner.query(`UPDATE "users" SET "password_hash" = '!' WHERE "password_hash" IS NULL`);
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "password_hash" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "session_version"`);
    await queryRunner.query(`DROP INDEX "public"."user_setup_tokens_user_idx"`);
    await queryRunner.query(`DROP INDEX "public"."user_setup_tokens_token_hash_key"`);
    await queryRunner.query(`DROP TABLE "user_setup_tokens"`);
  }
}
