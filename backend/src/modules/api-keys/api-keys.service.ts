import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { ApiKeyList, ApiKeyView, CreateApiKeyDto, CreatedApiKeyView } from './api-keys.dto';
import { ApiKey, ApiKeyRole } from './entities/api-key.entity';

/** Every key starts so: the guard tells keys from JWTs by it, and secret scanners can find leaks. */
export const API_KEY_PREFIX = 'sb_live_';
const LAST_USED_EVERY_MS = 60_000;

export const hashApiKey = (secret: string) => createHash('sha256').update(secret).digest('hex');

export const looksLikeApiKey = (token: string) => token.startsWith(API_KEY_PREFIX);

/** What the guard needs of a valid key. */
export interface ApiKeyPrincipal {
  id: string;
  name: string;
  organizationId: string;
  role: ApiKeyRole;
  createdBy: string;
}

/** Owners' API keys: created (shown once), listed, revoked; and looked up on every request. */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(caller: AuthUser): Promise<ApiKeyList> {
    const keys = await this.dataSource.getRepository(ApiKey).find({
      where: { organizationId: caller.organizationId },
      order: { createdAt: 'DESC' },
    });
    return { items: keys.map(toView) };
  }

  async create(caller: AuthUser, input: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    // 32 random bytes: a high-entropy secret, so a fast hash is as good as a slow one.
    const secret = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const key = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(ApiKey, {
          organizationId: caller.organizationId,
          name: input.name,
          role: input.role,
          prefix: secret.slice(0, API_KEY_PREFIX.length + 4),
          keyHash: hashApiKey(secret),
          createdBy: caller.id,
        }),
      );
      await this.audit.record(manager, {
        actor: caller,
        organizationId: caller.organizationId,
        action: 'api_key.created',
        target: { type: 'api_key', id: saved.id },
        after: auditState(saved),
      });
      return saved;
    });
    return { ...toView(key), secret };
  }

  async revoke(caller: AuthUser, id: string): Promise<ApiKeyView> {
    return this.dataSource.transaction(async (manager) => {
      const key = await manager.findOne(ApiKey, {
        where: { id, organizationId: caller.organizationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!key) throw new NotFoundException(`API key ${id} not found`);
      if (key.revokedAt) throw new ConflictException(`API key ${id} is already revoked`);
      const before = auditState(key);
      key.revokedAt = new Date();
      key.revokedBy = caller.id;
      await manager.update(ApiKey, { id }, { revokedAt: key.revokedAt, revokedBy: key.revokedBy });
      await this.audit.record(manager, {
        actor: caller,
        organizationId: caller.organizationId,
        action: 'api_key.revoked',
        target: { type: 'api_key', id },
        before,
        after: auditState(key),
      });
      return toView(key);
    });
  }

  /**
   * The key this secret is, when it is valid and not revoked; read from PostgreSQL on every
   * request (no cache), so a revocation holds at once on every api node. Notes the use at most
   * once a minute, without waiting for it.
   */
  async authenticate(secret: string): Promise<ApiKeyPrincipal | null> {
    const key = await this.dataSource.getRepository(ApiKey).findOne({
      where: { keyHash: hashApiKey(secret) },
      select: {
        id: true,
        name: true,
        organizationId: true,
        role: true,
        createdBy: true,
        lastUsedAt: true,
        revokedAt: true,
      },
    });
    if (!key || key.revokedAt) return null;
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
      this.dataSource
        .query(
          `UPDATE api_keys SET last_used_at = now()
            WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
          [key.id],
        )
        .catch((error: unknown) =>
          this.logger.warn(`could not note the use of API key ${key.id}: ${String(error)}`),
        );
    }
    return {
      id: key.id,
      name: key.name,
      organizationId: key.organizationId,
      role: key.role,
      createdBy: key.createdBy,
    };
  }
}

function toView(key: ApiKey): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    prefix: key.prefix,
    createdBy: key.createdBy,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

/** What the audit log keeps of a key: never its hash. */
function auditState(key: ApiKey) {
  return {
    name: key.name,
    role: key.role,
    prefix: key.prefix,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}
