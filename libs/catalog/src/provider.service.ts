import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { DomainError, JsonObject, ProviderId } from '@switchyard/common';
import { AuditService, Caller } from '@switchyard/audit';
import { COMPAT_PROFILES } from '@switchyard/protocols';
import { KeyRing } from '@switchyard/crypto';
import {
  isUniqueViolation,
  ProviderCredentialEntity,
  ProviderEntity,
  ProviderKind,
  ProviderStatus,
} from '@switchyard/database';
import { InvalidationBus } from '@switchyard/redis';

export interface CreateProviderInput {
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  apiKey: string;
  profile?: string | null;
}

export interface UpdateProviderInput {
  name?: string;
  baseUrl?: string;
  profile?: string | null;
  status?: ProviderStatus;
}

export interface ProviderWithCredentials {
  provider: ProviderEntity;
  credentials: ProviderCredentialEntity[];
}

/** The associated data that binds a sealed credential to its provider row. */
export const credentialAad = (providerId: string): string => `provider:${providerId}`;

export const credentialHint = (secret: string): string => `…${secret.slice(-4)}`;

/** Upstream accounts and their encrypted credentials. Secrets never leave this service. */
@Injectable()
export class ProviderService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(ProviderEntity) private readonly providers: Repository<ProviderEntity>,
    @InjectRepository(ProviderCredentialEntity)
    private readonly credentials: Repository<ProviderCredentialEntity>,
    private readonly keyRing: KeyRing,
    private readonly invalidations: InvalidationBus,
    private readonly audit: AuditService,
  ) {}

  async create(caller: Caller, input: CreateProviderInput): Promise<ProviderWithCredentials> {
    assertProfile(input);
    let result: ProviderWithCredentials;
    try {
      result = await this.db.transaction(async (tx) => {
        const inserted = await this.insert(tx, input);
        await this.audit.record(tx, {
          tenantId: null,
          actor: caller.actor,
          action: 'provider.create',
          targetType: 'provider',
          targetId: inserted.provider.id,
          after: {
            ...providerSnapshot(inserted.provider),
            credential_hint: inserted.credentials[0]?.hint ?? null,
          },
          origin: caller.origin,
        });
        return inserted;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'providers_name_uq')) {
        throw new DomainError('conflict', `a provider named "${input.name}" already exists`, {
          name: 'already exists',
        });
      }
      throw error;
    }
    await this.invalidations.publish({ kind: 'catalog' });
    return result;
  }

  /** Creates or updates a provider by name; a changed api key becomes the active credential. */
  async upsertByName(tx: EntityManager, input: CreateProviderInput): Promise<ProviderEntity> {
    assertProfile(input);
    const existing = await tx.findOneBy(ProviderEntity, { name: input.name });
    if (!existing) return (await this.insert(tx, input)).provider;
    existing.kind = input.kind;
    existing.baseUrl = normalizeBaseUrl(input.baseUrl);
    existing.profile = input.profile ?? null;
    await tx.save(existing);
    const active = await tx.findBy(ProviderCredentialEntity, { providerId: existing.id, status: 'active' });
    const unchanged = active.some(
      (credential) => this.keyRing.open(credential, credentialAad(existing.id)) === input.apiKey,
    );
    if (!unchanged) {
      await tx.update(
        ProviderCredentialEntity,
        { providerId: existing.id, status: 'active' },
        { status: 'disabled' },
      );
      await tx.save(sealCredential(this.keyRing, existing.id, input.apiKey, 'declared'));
    }
    return existing;
  }

  /** Renames, repoints, re-profiles, disables or re-enables a provider; gateways follow at once. */
  async update(
    caller: Caller,
    providerId: ProviderId,
    input: UpdateProviderInput,
  ): Promise<ProviderWithCredentials> {
    let updated: ProviderEntity;
    try {
      updated = await this.db.transaction(async (tx) => {
        const provider = await tx.findOne(ProviderEntity, {
          where: { id: providerId },
          lock: { mode: 'pessimistic_write' },
        });
        if (!provider) throw new DomainError('not_found', 'provider not found');
        const before = providerSnapshot(provider);
        if (input.name !== undefined) provider.name = input.name;
        if (input.baseUrl !== undefined) provider.baseUrl = normalizeBaseUrl(input.baseUrl);
        if (input.profile !== undefined) provider.profile = input.profile;
        if (input.status !== undefined) provider.status = input.status;
        assertProfile({ kind: provider.kind, profile: provider.profile });
        const saved = await tx.save(provider);
        await this.audit.record(tx, {
          tenantId: null,
          actor: caller.actor,
          action: 'provider.update',
          targetType: 'provider',
          targetId: providerId,
          before,
          after: providerSnapshot(saved),
          origin: caller.origin,
        });
        return saved;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'providers_name_uq')) {
        throw new DomainError('conflict', `a provider named "${input.name ?? ''}" already exists`, {
          name: 'already exists',
        });
      }
      throw error;
    }
    await this.invalidations.publish({ kind: 'catalog' });
    return { provider: updated, credentials: await this.credentials.findBy({ providerId }) };
  }

  async list(): Promise<ProviderWithCredentials[]> {
    const providers = await this.providers.find({ order: { createdAt: 'ASC' } });
    const credentials = providers.length
      ? await this.credentials.find({
          where: { providerId: In(providers.map((p) => p.id)) },
          order: { createdAt: 'ASC' },
        })
      : [];
    return providers.map((provider) => ({
      provider,
      credentials: credentials.filter((c) => c.providerId === provider.id),
    }));
  }

  async get(providerId: ProviderId): Promise<ProviderWithCredentials> {
    const provider = await this.providers.findOneBy({ id: providerId });
    if (!provider) throw new DomainError('not_found', 'provider not found');
    return { provider, credentials: await this.credentials.findBy({ providerId }) };
  }

  async existing(ids: readonly ProviderId[]): Promise<Set<ProviderId>> {
    if (ids.length === 0) return new Set();
    const found = await this.providers.findBy({ id: In([...new Set(ids)]) });
    return new Set(found.map((provider) => provider.id));
  }

  private async insert(tx: EntityManager, input: CreateProviderInput): Promise<ProviderWithCredentials> {
    const id = randomUUID() as ProviderId; // known before insert: it is the credential's AAD
    const provider = await tx.save(
      tx.create(ProviderEntity, {
        id,
        name: input.name,
        kind: input.kind,
        profile: input.profile ?? null,
        baseUrl: normalizeBaseUrl(input.baseUrl),
        status: 'active',
      }),
    );
    const credential = await tx.save(sealCredential(this.keyRing, id, input.apiKey, null));
    return { provider, credentials: [credential] };
  }
}

/** A new active credential row holding `apiKey` sealed for `providerId` (its AAD). */
export function sealCredential(
  keyRing: KeyRing,
  providerId: ProviderId,
  apiKey: string,
  label: string | null,
): ProviderCredentialEntity {
  const sealed = keyRing.seal(apiKey, credentialAad(providerId));
  const credential = new ProviderCredentialEntity();
  Object.assign(credential, {
    providerId,
    label,
    keyVersion: sealed.keyVersion,
    ciphertext: sealed.ciphertext,
    hint: credentialHint(apiKey),
    status: 'active',
  });
  return credential;
}

/** The quirks profiles an operator can choose for an openai_compatible provider. */
export const PROVIDER_PROFILES: readonly string[] = Object.keys(COMPAT_PROFILES);

/**
 * A profile names the quirks of an OpenAI-compatible server; other kinds have one wire each and
 * no profile. An unknown name would silently fall back to the generic profile, so it is refused.
 */
function assertProfile(input: { kind: ProviderKind; profile?: string | null }): void {
  const profile = input.profile ?? null;
  if (profile === null) return;
  if (input.kind !== 'openai_compatible') {
    throw new DomainError(
      'validation',
      `profile applies to openai_compatible providers only, not ${input.kind}`,
      {
        profile: 'only for kind openai_compatible',
      },
    );
  }
  if (!PROVIDER_PROFILES.includes(profile)) {
    throw new DomainError('validation', `unknown profile "${profile}"`, {
      profile: `must be one of ${PROVIDER_PROFILES.join(', ')}`,
    });
  }
}

/** What an audit row shows of a provider (its secrets live in provider_credentials). */
function providerSnapshot(provider: ProviderEntity): JsonObject {
  return {
    name: provider.name,
    kind: provider.kind,
    profile: provider.profile,
    base_url: provider.baseUrl,
    status: provider.status,
  };
}

/** `https://api.openai.com/v1/` -> `https://api.openai.com/v1`: paths are appended with a slash. */
export function normalizeBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}
