import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApiKeyId, DomainError, formatUsd, JsonObject, NanoUsd, TenantId } from '@switchyard/common';
import { AuditService, Caller } from '@switchyard/audit';
import { displayPrefix, generateSecret, hashSecret } from '@switchyard/crypto';
import {
  ApiKeyEntity,
  ApiKeyStatus,
  applyScope,
  BudgetPeriod,
  inScope,
  Page,
  PageRequest,
  paginate,
  scopeWhere,
  TenantEntity,
} from '@switchyard/database';
import { InvalidationBus } from '@switchyard/redis';

/** Every tenant key starts with this, so leaked keys are easy to recognise and scan for. */
export const API_KEY_PREFIX = 'sk-sy-';

/** Limits and scopes of a key; `undefined` leaves a field unchanged, `null` clears it. */
export interface KeySettings {
  allowedModels?: string[] | null;
  rpm?: number | null;
  tpm?: number | null;
  maxConcurrency?: number | null;
  budget?: { amount: NanoUsd; period: BudgetPeriod } | null;
  expiresAt?: Date | null;
  metadata?: JsonObject;
}

export interface IssueKeyInput extends KeySettings {
  name: string;
}

export interface KeySearch {
  tenantId?: TenantId;
  status?: ApiKeyStatus;
  /** Substring of the name, or the start of the display prefix. */
  q?: string;
}

export interface IssuedKey {
  key: ApiKeyEntity;
  /** The plaintext secret: returned once, never stored. */
  secret: string;
}

/**
 * Tenant API keys: issue, list, change limits, rotate with a grace period, revoke. Only a SHA-256
 * of each secret is stored; every change reaches every gateway through the invalidation bus.
 */
@Injectable()
export class ApiKeyService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly invalidations: InvalidationBus,
  ) {}

  async issue(caller: Caller, tenantId: TenantId, input: IssueKeyInput): Promise<IssuedKey> {
    if (!inScope(caller.scope, tenantId)) throw new DomainError('not_found', 'tenant not found');
    const issued = await this.db.transaction(async (tx) => {
      if (!(await tx.existsBy(TenantEntity, { id: tenantId })))
        throw new DomainError('not_found', 'tenant not found');
      const result = await this.insertKey(tx, tenantId, input.name, input);
      await this.audit.record(tx, {
        ...this.entry(caller, result.key, 'api_key.create'),
        after: snapshot(result.key),
      });
      return result;
    });
    // A gateway may have cached this hash as unknown (someone tried it before it existed).
    await this.invalidations.publish({ kind: 'api_key', keyHash: issued.key.keyHash });
    return issued;
  }

  async list(caller: Caller, tenantId: TenantId, page: PageRequest): Promise<Page<ApiKeyEntity>> {
    if (
      !inScope(caller.scope, tenantId) ||
      !(await this.db.getRepository(TenantEntity).existsBy({ id: tenantId }))
    ) {
      throw new DomainError('not_found', 'tenant not found');
    }
    return this.search(caller, { tenantId }, page);
  }

  search(caller: Caller, search: KeySearch, page: PageRequest): Promise<Page<ApiKeyEntity>> {
    const query = applyScope(this.db.getRepository(ApiKeyEntity).createQueryBuilder('key'), caller.scope);
    if (search.tenantId) query.andWhere('key.tenant_id = :tenantId', { tenantId: search.tenantId });
    if (search.status) query.andWhere('key.status = :status', { status: search.status });
    if (search.q) {
      const like = search.q.replace(/[%_\\]/g, '\\$&');
      query.andWhere('(key.name ILIKE :name OR key.prefix LIKE :prefix)', {
        name: `%${like}%`,
        prefix: `${like}%`,
      });
    }
    return paginate(query, page);
  }

  async get(caller: Caller, keyId: ApiKeyId): Promise<ApiKeyEntity> {
    const key = await this.db
      .getRepository(ApiKeyEntity)
      .findOneBy({ id: keyId, ...scopeWhere(caller.scope) });
    if (!key) throw new DomainError('not_found', 'key not found');
    return key;
  }

  async update(
    caller: Caller,
    keyId: ApiKeyId,
    input: KeySettings & { name?: string },
  ): Promise<ApiKeyEntity> {
    const key = await this.db.transaction(async (tx) => {
      const current = await this.lockKey(tx, caller, keyId);
      const before = snapshot(current);
      if (input.name !== undefined) current.name = input.name;
      applySettings(current, input);
      const saved = await tx.save(current);
      await this.audit.record(tx, {
        ...this.entry(caller, saved, 'api_key.update'),
        before,
        after: snapshot(saved),
      });
      return saved;
    });
    await this.invalidations.publish({ kind: 'api_key', keyHash: key.keyHash });
    return key;
  }

  /**
   * Issues a successor with the same settings; the old key keeps working for `graceSeconds`
   * (0 = stops now), then is refused as expired.
   */
  async rotate(caller: Caller, keyId: ApiKeyId, graceSeconds: number): Promise<IssuedKey> {
    const result = await this.db.transaction(async (tx) => {
      const old = await this.lockKey(tx, caller, keyId);
      if (old.status !== 'active') throw new DomainError('conflict', 'a revoked key cannot be rotated');
      if (old.rotatedToId !== null)
        throw new DomainError('conflict', 'this key was already rotated; rotate its successor');
      const before = snapshot(old);
      const issued = await this.insertKey(tx, old.tenantId, old.name, {
        allowedModels: old.allowedModels,
        rpm: old.rpm,
        tpm: old.tpm,
        maxConcurrency: old.maxConcurrency,
        budget:
          old.budgetNanoUsd !== null && old.budgetPeriod !== null
            ? { amount: old.budgetNanoUsd, period: old.budgetPeriod }
            : null,
        expiresAt: old.expiresAt,
        metadata: { ...old.metadata, rotated_from: old.id },
      });
      const graceEnds = new Date(Date.now() + graceSeconds * 1000);
      old.expiresAt = old.expiresAt !== null && old.expiresAt < graceEnds ? old.expiresAt : graceEnds;
      old.rotatedToId = issued.key.id;
      await tx.save(old);
      await this.audit.record(tx, {
        ...this.entry(caller, old, 'api_key.rotate'),
        before,
        after: { ...snapshot(old), rotated_to_id: issued.key.id, grace_seconds: graceSeconds },
      });
      return { issued, oldHash: old.keyHash };
    });
    await this.invalidations.publish({ kind: 'api_key', keyHash: result.oldHash });
    await this.invalidations.publish({ kind: 'api_key', keyHash: result.issued.key.keyHash });
    return result.issued;
  }

  /** Revokes a key; every gateway refuses it within a second. Revoking twice is a no-op. */
  async revoke(caller: Caller, keyId: ApiKeyId): Promise<ApiKeyEntity> {
    const key = await this.db.transaction(async (tx) => {
      const current = await this.lockKey(tx, caller, keyId);
      if (current.status === 'revoked') return current;
      const before = snapshot(current);
      current.status = 'revoked';
      current.revokedAt = new Date();
      const saved = await tx.save(current);
      await this.audit.record(tx, {
        ...this.entry(caller, saved, 'api_key.revoke'),
        before,
        after: snapshot(saved),
      });
      return saved;
    });
    await this.invalidations.publish({ kind: 'api_key', keyHash: key.keyHash });
    return key;
  }

  private async insertKey(
    tx: EntityManager,
    tenantId: TenantId,
    name: string,
    settings: KeySettings,
  ): Promise<IssuedKey> {
    const secret = generateSecret(API_KEY_PREFIX);
    const key = tx.create(ApiKeyEntity, {
      tenantId,
      name,
      keyHash: hashSecret(secret),
      prefix: displayPrefix(secret, API_KEY_PREFIX.length),
      status: 'active',
      allowedModels: null,
      rpm: null,
      tpm: null,
      maxConcurrency: null,
      budgetNanoUsd: null,
      budgetPeriod: null,
      expiresAt: null,
      metadata: {},
    });
    applySettings(key, settings);
    return { key: await tx.save(key), secret };
  }

  private async lockKey(tx: EntityManager, caller: Caller, keyId: ApiKeyId): Promise<ApiKeyEntity> {
    const key = await tx.findOne(ApiKeyEntity, {
      where: { id: keyId, ...scopeWhere(caller.scope) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!key) throw new DomainError('not_found', 'key not found');
    return key;
  }

  private entry(caller: Caller, key: ApiKeyEntity, action: string): Parameters<AuditService['record']>[1] {
    return {
      tenantId: key.tenantId,
      actor: caller.actor,
      action,
      targetType: 'api_key',
      targetId: key.id,
      origin: caller.origin,
    };
  }
}

function applySettings(key: ApiKeyEntity, settings: KeySettings): void {
  if (settings.allowedModels !== undefined) key.allowedModels = settings.allowedModels;
  if (settings.rpm !== undefined) key.rpm = settings.rpm;
  if (settings.tpm !== undefined) key.tpm = settings.tpm;
  if (settings.maxConcurrency !== undefined) key.maxConcurrency = settings.maxConcurrency;
  if (settings.budget !== undefined) {
    key.budgetNanoUsd = settings.budget?.amount ?? null;
    key.budgetPeriod = settings.budget?.period ?? null;
  }
  if (settings.expiresAt !== undefined) key.expiresAt = settings.expiresAt;
  if (settings.metadata !== undefined) key.metadata = settings.metadata;
}

/** What an audit row shows of a key: settings and state, never its hash. */
function snapshot(key: ApiKeyEntity): JsonObject {
  return {
    name: key.name,
    prefix: key.prefix,
    status: key.status,
    allowed_models: key.allowedModels,
    rpm: key.rpm,
    tpm: key.tpm,
    max_concurrency: key.maxConcurrency,
    budget:
      key.budgetNanoUsd !== null && key.budgetPeriod !== null
        ? { amount_usd: formatUsd(key.budgetNanoUsd), period: key.budgetPeriod }
        : null,
    expires_at: key.expiresAt?.toISOString() ?? null,
    metadata: key.metadata,
  };
}
