import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CredentialId, DomainError, ProviderId } from '@switchyard/common';
import { AuditService, Caller, SYSTEM_ACTOR } from '@switchyard/audit';
import { KeyRing } from '@switchyard/crypto';
import { CredentialStatus, ProviderCredentialEntity, ProviderEntity } from '@switchyard/database';
import { InvalidationBus } from '@switchyard/redis';
import { credentialAad, sealCredential } from './provider.service';
import { probeCredential, ProbeResult } from './provider-probe';

export interface ReencryptionResult {
  reencrypted: number;
  alreadyCurrent: number;
}

/**
 * Upstream credentials, several per provider, used in turn by the gateway: add, disable,
 * re-enable, rotate, test, and re-encrypt under a new master key. Changes reach the gateways'
 * in-memory catalog through the invalidation bus, without a restart. No method returns a secret.
 */
@Injectable()
export class CredentialVault {
  private readonly log = new Logger(CredentialVault.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly keyRing: KeyRing,
    private readonly audit: AuditService,
    private readonly invalidations: InvalidationBus,
  ) {}

  async add(
    caller: Caller,
    providerId: ProviderId,
    apiKey: string,
    label: string | null,
  ): Promise<ProviderCredentialEntity> {
    const credential = await this.db.transaction(async (tx) => {
      await this.provider(tx, providerId);
      const saved = await tx.save(sealCredential(this.keyRing, providerId, apiKey, label));
      await this.audit.record(tx, this.entry(caller, saved, 'provider.credential.add', null, view(saved)));
      return saved;
    });
    await this.invalidations.publish({ kind: 'catalog' });
    return credential;
  }

  async setStatus(
    caller: Caller,
    providerId: ProviderId,
    credentialId: CredentialId,
    status: CredentialStatus,
  ): Promise<ProviderCredentialEntity> {
    const credential = await this.db.transaction(async (tx) => {
      const current = await this.credential(tx, providerId, credentialId);
      if (current.status === status) return current;
      const before = view(current);
      if (status === 'disabled') await this.assertAnotherActive(tx, providerId, credentialId);
      current.status = status;
      const saved = await tx.save(current);
      await this.audit.record(
        tx,
        this.entry(
          caller,
          saved,
          status === 'disabled' ? 'provider.credential.disable' : 'provider.credential.enable',
          before,
          view(saved),
        ),
      );
      return saved;
    });
    await this.invalidations.publish({ kind: 'catalog' });
    return credential;
  }

  /** Replaces one credential by a new secret: the new one is active, the old one disabled, atomically. */
  async rotate(
    caller: Caller,
    providerId: ProviderId,
    credentialId: CredentialId,
    apiKey: string,
  ): Promise<ProviderCredentialEntity> {
    const replacement = await this.db.transaction(async (tx) => {
      const old = await this.credential(tx, providerId, credentialId);
      const before = view(old);
      old.status = 'disabled';
      await tx.save(old);
      const saved = await tx.save(sealCredential(this.keyRing, providerId, apiKey, old.label));
      await this.audit.record(
        tx,
        this.entry(caller, old, 'provider.credential.rotate', before, {
          ...view(old),
          replaced_by: saved.id,
          new_hint: saved.hint,
        }),
      );
      return saved;
    });
    await this.invalidations.publish({ kind: 'catalog' });
    return replacement;
  }

  /** Calls the provider's model list with each active credential; never returns or logs a secret. */
  async test(
    providerId: ProviderId,
  ): Promise<{ provider: ProviderEntity; results: Array<ProbeResult & { credentialId: CredentialId }> }> {
    const provider = await this.provider(this.db.manager, providerId);
    const credentials = await this.db
      .getRepository(ProviderCredentialEntity)
      .find({ where: { providerId, status: 'active' }, order: { createdAt: 'ASC' } });
    const results = await Promise.all(
      credentials.map(async (credential) => ({
        credentialId: credential.id,
        ...(await probeCredential(provider, this.keyRing.open(credential, credentialAad(providerId)))),
      })),
    );
    return { provider, results };
  }

  /**
   * Re-encrypts every credential sealed under an older master key version with the current one
   * (after SECRETS_KEY rotation; the old key stays in SECRETS_PREVIOUS_KEYS until this has run).
   */
  async reencryptAll(): Promise<ReencryptionResult> {
    const result = await this.db.transaction(async (tx) => {
      const credentials = await tx.find(ProviderCredentialEntity, { lock: { mode: 'pessimistic_write' } });
      let reencrypted = 0;
      for (const credential of credentials) {
        if (credential.keyVersion === this.keyRing.currentVersion) continue;
        const aad = credentialAad(credential.providerId);
        const before = credential.keyVersion;
        const sealed = this.keyRing.seal(this.keyRing.open(credential, aad), aad);
        await tx.update(
          ProviderCredentialEntity,
          { id: credential.id },
          { keyVersion: sealed.keyVersion, ciphertext: sealed.ciphertext },
        );
        await this.audit.record(tx, {
          tenantId: null,
          actor: SYSTEM_ACTOR,
          action: 'provider.credential.reencrypt',
          targetType: 'provider_credential',
          targetId: credential.id,
          before: { key_version: before },
          after: { key_version: sealed.keyVersion },
          origin: { ip: null, userAgent: null, requestId: null },
        });
        reencrypted++;
      }
      return { reencrypted, alreadyCurrent: credentials.length - reencrypted };
    });
    if (result.reencrypted > 0) await this.invalidations.publish({ kind: 'catalog' });
    this.log.log({ ...result }, 'credentials re-encrypted');
    return result;
  }

  private async provider(tx: EntityManager, providerId: ProviderId): Promise<ProviderEntity> {
    const provider = await tx.findOneBy(ProviderEntity, { id: providerId });
    if (!provider) throw new DomainError('not_found', 'provider not found');
    return provider;
  }

  private async credential(
    tx: EntityManager,
    providerId: ProviderId,
    credentialId: CredentialId,
  ): Promise<ProviderCredentialEntity> {
    const credential = await tx.findOne(ProviderCredentialEntity, {
      where: { id: credentialId, providerId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!credential) throw new DomainError('not_found', 'credential not found');
    return credential;
  }

  /** A provider keeps at least one active credential: disabling the last would stop its traffic. */
  private async assertAnotherActive(
    tx: EntityManager,
    providerId: ProviderId,
    credentialId: CredentialId,
  ): Promise<void> {
    const others = await tx
      .createQueryBuilder(ProviderCredentialEntity, 'credential')
      .where(
        'credential.provider_id = :providerId AND credential.status = :active AND credential.id <> :credentialId',
        {
          providerId,
          active: 'active',
          credentialId,
        },
      )
      .getCount();
    if (others === 0) {
      throw new DomainError(
        'conflict',
        'this is the last active credential of the provider; add another first, or rotate it',
      );
    }
  }

  private entry(
    caller: Caller,
    credential: ProviderCredentialEntity,
    action: string,
    before: ReturnType<typeof view> | null,
    after: ReturnType<typeof view> & Record<string, string | number | null>,
  ): Parameters<AuditService['record']>[1] {
    return {
      tenantId: null,
      actor: caller.actor,
      action,
      targetType: 'provider_credential',
      targetId: credential.id,
      before,
      after: { provider_id: credential.providerId, ...after },
      origin: caller.origin,
    };
  }
}

/** What an audit row may show of a credential. */
function view(credential: ProviderCredentialEntity): {
  label: string | null;
  hint: string;
  status: string;
  key_version: number;
} {
  return {
    label: credential.label,
    hint: credential.hint,
    status: credential.status,
    key_version: credential.keyVersion,
  };
}
