import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiKeyId, DomainError, JsonObject, TenantId } from '@switchyard/common';
import { displayPrefix, generateSecret, hashSecret } from '@switchyard/crypto';
import { ApiKeyEntity, Page, PageRequest, paginate } from '@switchyard/database';
import { InvalidationBus } from '@switchyard/redis';
import { TenantService } from '@switchyard/tenants';

/** Every tenant key starts with this, so leaked keys are easy to recognise and scan for. */
export const API_KEY_PREFIX = 'sk-sy-';

export interface IssueKeyInput {
  name: string;
  metadata?: JsonObject;
  expiresAt?: Date | null;
}

export interface IssuedKey {
  key: ApiKeyEntity;
  /** The plaintext secret: returned once, never stored. */
  secret: string;
}

/** Issues, lists and revokes tenant API keys. Only a SHA-256 of each secret is stored. */
@Injectable()
export class ApiKeyService {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    private readonly tenants: TenantService,
    private readonly invalidations: InvalidationBus,
  ) {}

  async issue(tenantId: TenantId, input: IssueKeyInput): Promise<IssuedKey> {
    await this.tenants.assertExists(tenantId);
    const secret = generateSecret(API_KEY_PREFIX);
    const keyHash = hashSecret(secret);
    const key = await this.keys.save(
      this.keys.create({
        tenantId,
        name: input.name,
        keyHash,
        prefix: displayPrefix(secret, API_KEY_PREFIX.length),
        status: 'active',
        metadata: input.metadata ?? {},
        expiresAt: input.expiresAt ?? null,
      }),
    );
    // A gateway may have cached this hash as unknown (someone tried it before it existed).
    await this.invalidations.publish({ kind: 'api_key', keyHash });
    return { key, secret };
  }

  async list(tenantId: TenantId, page: PageRequest): Promise<Page<ApiKeyEntity>> {
    await this.tenants.assertExists(tenantId);
    return paginate(this.keys.createQueryBuilder('key').where('key.tenant_id = :tenantId', { tenantId }), page);
  }

  async get(keyId: ApiKeyId): Promise<ApiKeyEntity> {
    const key = await this.keys.findOneBy({ id: keyId });
    if (!key) throw new DomainError('not_found', 'key not found');
    return key;
  }

  /** Revokes a key; every gateway refuses it within a second. Revoking twice is a no-op. */
  async revoke(keyId: ApiKeyId): Promise<ApiKeyEntity> {
    const key = await this.get(keyId);
    if (key.status !== 'revoked') {
      key.status = 'revoked';
      key.revokedAt = new Date();
      await this.keys.save(key);
    }
    await this.invalidations.publish({ kind: 'api_key', keyHash: key.keyHash });
    return key;
  }
}
