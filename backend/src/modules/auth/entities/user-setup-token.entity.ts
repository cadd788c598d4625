import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { User } from './user.entity';

/**
 * A one-time setup link: whoever holds the token chooses the user's password once, before
 * `expires_at`. Only the token's SHA-256 is stored; the link itself is shown once, to whoever
 * issued it (an admin inviting a user, the platform creating an owner, the operator bootstrap).
 */
@Entity({ name: 'user_setup_tokens' })
@Index('user_setup_tokens_user_idx', ['userId'])
export class UserSetupToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** Hex SHA-256 of the token (the token is 32 random bytes, so no salt is needed). */
  @Index('user_setup_tokens_token_hash_key', { unique: true })
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  /** Who issued it; null when the platform did (operator bootstrap). */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  /** Set once, when the password was chosen with it. */
  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
