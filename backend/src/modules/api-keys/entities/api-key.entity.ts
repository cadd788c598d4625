import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const API_KEY_ROLES = ['admin', 'agent'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/**
 * A key an organization's systems use on the REST API instead of a user's token, with the
 * permissions of its role. Only the SHA-256 of the secret is stored (the secret is shown once);
 * a revoked key stays listed, refused on the very next request on every api node.
 */
@Entity({ name: 'api_keys' })
@Index('api_keys_hash_key', ['keyHash'], { unique: true })
@Index('api_keys_org_created_idx', ['organizationId', 'createdAt'])
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  role: ApiKeyRole;

  /** The secret's first characters (`sb_live_AbCd`), to tell keys apart; not enough to use one. */
  @Column({ type: 'varchar', length: 20 })
  prefix: string;

  /** Hex SHA-256 of the whole secret. */
  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash: string;

  /** The owner who created it: requests made with the key act as this user with the key's role. */
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Updated at most once a minute per key. */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_by', type: 'uuid', nullable: true })
  revokedBy: string | null;
}
