import { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookDeliveryCreatedAtMillis1796224784661 implements MigrationInterface {
  name = 'WebhookDeliveryCreatedAtMillis1796224784661';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_endpoint_created_idx"`);
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" ALTER COLUMN "created_at" TYPE TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`CREATE INDEX "webhook_deliveries_endpoint_created_idx" ON "webhook_deliveries" ("endpoint_id", "created_at", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_endpoint_created_idx"`);
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" ALTER COLUMN "created_at" TYPE TIMESTAMP(6) WITH TIME ZONE`);
    await queryRunner.query(`CREATE INDEX "webhook_deliveries_endpoint_created_idx" ON "webhook_deliveries" ("endpoint_id", "created_at", "id") `);
  }
}
