import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Organization } from './organization.entity';

/** The roles a member of an organization can have (what organization admins may assign). */
export const ORGANIZATION_ROLES = ['owner', 'admin', 'agent'] as const;
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];
/** operator: the platform's own staff, outside every organization (see docs/platform.md). */
export const USER_ROLES = [...ORGANIZATION_ROLES, 'operator'] as const;
export type UserRole = (typeof USER_ROLES)[number];

@Entity({ name: 'users' })
@Index('users_organization_idx', ['organizationId', 'createdAt'])
@Check('users_operator_has_no_organization', `("role" = 'operator') = ("organization_id" IS NULL)`)
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Null for platform operators only (a CHECK holds it). */
  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  /** Stored lower-cased; unique across Switchboard because it is the login. */
  @Index('users_email_key', { unique: true })
  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'enum', enum: USER_ROLES, enumName: 'user_role' })
  role: UserRole;

  /**
   * Null while the user has not chosen a password yet (invited: they set it through a one-time
   * setup link, see setup-links.service.ts); nobody can sign in with a null hash.
   */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash: string | null;

  /**
   * Bumped when the password changes: every access token carries the version it was issued at
   * (`sv`), and the guard and the socket gate refuse a token of another version.
   */
  @Column({ name: 'session_version', type: 'integer', default: 0 })
  sessionVersion: number;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
