import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeyId, NanoUsd, TenantId } from '@switchyard/common';
import { AppConfig } from '@switchyard/config';
import { hashSecret } from '@switchyard/crypto';
import { BudgetPeriod } from '@switchyard/database';
import { InvalidationBus } from '@switchyard/redis';
import { ModelPattern } from './model-pattern';

/** Why a known key may not be used right now. */
export type KeyDenial = 'key.revoked' | 'key.expired' | 'tenant.suspended';

/** Everything the gateway needs to know about a key, cached in-process by key hash. */
export interface KeyPrincipal {
  keyId: ApiKeyId;
  tenantId: TenantId;
  revoked: boolean;
  tenantSuspended: boolean;
  /** Epoch ms after which the key is refused (also the end of a rotation's grace period). */
  expiresAtMs: number | null;
  models: ModelPattern;
  priceAdjustmentBps: number;
  rpm: number | null;
  tpm: number | null;
  maxConcurrency: number | null;
  budget: { amount: NanoUsd; period: BudgetPeriod } | null;
}

interface CacheEntry {
  principal: KeyPrincipal | null;
  expiresAtMs: number;
}

interface KeyRow {
  id: ApiKeyId;
  tenant_id: TenantId;
  status: string;
  expires_at: Date | null;
  allowed_models: string[] | null;
  rpm: number | null;
  tpm: number | null;
  max_concurrency: number | null;
  budget_nano_usd: string | null;
  budget_period: BudgetPeriod | null;
  tenant_status: string;
  price_adjustment_bps: number;
}

/** Unknown hashes are remembered briefly so a flood of bad keys cannot reach Postgres. */
const NEGATIVE_TTL_MS = 5_000;
const MAX_ENTRIES = 100_000;

/**
 * Resolves a presented API key to its principal: SHA-256 -> in-process cache -> Postgres on a
 * miss (concurrent misses for one key share one query). Entries live KEY_CACHE_TTL_SECONDS and
 * are dropped at once by invalidation messages (revocation, suspension, changes).
 */
@Injectable()
export class KeyAuthenticator implements OnModuleInit {
  private readonly log = new Logger(KeyAuthenticator.name);
  private readonly cache = new Map<string, CacheEntry>();
  private readonly loading = new Map<string, Promise<KeyPrincipal | null>>();
  private readonly ttlMs: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly invalidations: InvalidationBus,
    config: AppConfig,
  ) {
    this.ttlMs = config.gateway.keyCacheTtlMs;
  }

  onModuleInit(): void {
    this.invalidations.subscribe((message) => {
      switch (message.kind) {
        case 'api_key':
          this.cache.delete(message.keyHash);
          break;
        case 'tenant':
          for (const [hash, entry] of this.cache)
            if (entry.principal?.tenantId === message.tenantId) this.cache.delete(hash);
          break;
        case 'all':
          this.cache.clear();
          break;
        case 'catalog':
          break;
      }
    });
  }

  /** Synchronous cache lookup; undefined means "not cached, call load()". */
  cached(secret: string): { hash: string; entry: KeyPrincipal | null | undefined } {
    const hash = hashSecret(secret);
    const entry = this.cache.get(hash);
    if (entry === undefined || entry.expiresAtMs < Date.now()) return { hash, entry: undefined };
    return { hash, entry: entry.principal };
  }

  /** Loads a key by hash from Postgres and caches the answer (including "no such key"). */
  load(hash: string): Promise<KeyPrincipal | null> {
    const pending = this.loading.get(hash);
    if (pending) return pending;
    const loading = this.query(hash).finally(() => this.loading.delete(hash));
    this.loading.set(hash, loading);
    return loading;
  }

  /** The reason a principal may not be used now, or null if it may. */
  static denial(principal: KeyPrincipal, now = Date.now()): KeyDenial | null {
    if (principal.revoked) return 'key.revoked';
    if (principal.expiresAtMs !== null && principal.expiresAtMs <= now) return 'key.expired';
    if (principal.tenantSuspended) return 'tenant.suspended';
    return null;
  }

  private async query(hash: string): Promise<KeyPrincipal | null> {
    const rows: KeyRow[] = await this.db.query(
      `SELECT k.id, k.tenant_id, k.status, k.expires_at, k.allowed_models, k.rpm, k.tpm, k.max_concurrency,
              k.budget_nano_usd, k.budget_period, t.status AS tenant_status, t.price_adjustment_bps
         FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
        WHERE k.key_hash = $1`,
      [hash],
    );
    const row = rows[0];
    const principal = row ? toPrincipal(row) : null;
    if (this.cache.size >= MAX_ENTRIES) this.evictExpired();
    this.cache.set(hash, { principal, expiresAtMs: Date.now() + (principal ? this.ttlMs : NEGATIVE_TTL_MS) });
    return principal;
  }

  private evictExpired(): void {
    const now = Date.now();
    for (const [hash, entry] of this.cache) if (entry.expiresAtMs < now) this.cache.delete(hash);
    if (this.cache.size >= MAX_ENTRIES) {
      this.log.warn({ entries: this.cache.size }, 'key cache full; clearing it');
      this.cache.clear();
    }
  }
}

function toPrincipal(row: KeyRow): KeyPrincipal {
  return {
    keyId: row.id,
    tenantId: row.tenant_id,
    revoked: row.status !== 'active',
    tenantSuspended: row.tenant_status !== 'active',
    expiresAtMs: row.expires_at ? row.expires_at.getTime() : null,
    models: new ModelPattern(row.allowed_models),
    priceAdjustmentBps: row.price_adjustment_bps,
    rpm: row.rpm,
    tpm: row.tpm,
    maxConcurrency: row.max_concurrency,
    budget:
      row.budget_nano_usd !== null && row.budget_period !== null
        ? { amount: BigInt(row.budget_nano_usd) as NanoUsd, period: row.budget_period }
        : null,
  };
}
