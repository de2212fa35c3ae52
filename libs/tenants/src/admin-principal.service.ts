import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { AdminPrincipalId, DomainError, TenantId } from '@switchyard/common';
import { AuditService, Caller } from '@switchyard/audit';
import { AppConfig } from '@switchyard/config';
import { constantTimeEquals, displayPrefix, generateSecret, hashSecret } from '@switchyard/crypto';
import { AdminPrincipalEntity, AdminRole, inScope, TenantEntity } from '@switchyard/database';

export const ADMIN_TOKEN_PREFIX = 'sy-admin-';
const BOOTSTRAP_NAME = 'bootstrap';

/** Who is calling the admin API. `tenantId` null means platform-wide. */
export interface AdminPrincipal {
  id: AdminPrincipalId | 'env';
  tenantId: TenantId | null;
  role: AdminRole;
  name: string;
}

export interface IssuedAdminToken {
  principal: AdminPrincipalEntity;
  /** The plaintext token: returned once, never stored. */
  token: string;
}

/**
 * Admin tokens: the bootstrap ADMIN_TOKEN from the environment, and tokens it (or a tenant owner)
 * creates, stored as SHA-256 hashes. Platform tokens act on every tenant; tenant tokens on one.
 */
@Injectable()
export class AdminPrincipalService {
  private readonly log = new Logger(AdminPrincipalService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** Resolves a presented bearer token to a principal, or null. */
  async authenticate(token: string): Promise<AdminPrincipal | null> {
    const bootstrap = this.config.admin.bootstrapToken;
    if (bootstrap !== undefined && constantTimeEquals(token, bootstrap)) {
      return { id: 'env', tenantId: null, role: 'owner', name: 'ADMIN_TOKEN' };
    }
    // The lookup is by SHA-256 of the token: its timing says nothing about any stored token.
    const stored = await this.db
      .getRepository(AdminPrincipalEntity)
      .findOneBy({ tokenHash: hashSecret(token), revokedAt: IsNull() });
    if (!stored) return null;
    return { id: stored.id, tenantId: stored.tenantId, role: stored.role, name: stored.name };
  }

  /** Issues a platform token (tenantId null) or a token scoped to one tenant. */
  async issue(
    caller: Caller,
    tenantId: TenantId | null,
    input: { name: string; role: AdminRole },
  ): Promise<IssuedAdminToken> {
    // Another tenant is invisible (404), as everywhere; only then does the role matter (403).
    if (tenantId !== null && !inScope(caller.scope, tenantId))
      throw new DomainError('not_found', 'tenant not found');
    this.assertMayManage(caller, tenantId);
    const token = generateSecret(ADMIN_TOKEN_PREFIX);
    const principal = await this.db.transaction(async (tx) => {
      if (tenantId !== null && !(await tx.existsBy(TenantEntity, { id: tenantId })))
        throw new DomainError('not_found', 'tenant not found');
      const saved = await tx.save(
        tx.create(AdminPrincipalEntity, {
          tenantId,
          name: input.name,
          role: input.role,
          tokenHash: hashSecret(token),
          tokenPrefix: displayPrefix(token, ADMIN_TOKEN_PREFIX.length),
        }),
      );
      await this.audit.record(tx, {
        tenantId,
        actor: caller.actor,
        action: 'admin_token.create',
        targetType: 'admin_token',
        targetId: saved.id,
        after: { name: saved.name, role: saved.role, tenant_id: tenantId, prefix: saved.tokenPrefix },
        origin: caller.origin,
      });
      return saved;
    });
    return { principal, token };
  }

  async list(caller: Caller, tenantId: TenantId | null): Promise<AdminPrincipalEntity[]> {
    if (!inScope(caller.scope, tenantId)) throw new DomainError('not_found', 'tenant not found');
    return this.db.getRepository(AdminPrincipalEntity).find({
      where: { tenantId: tenantId ?? IsNull() },
      order: { createdAt: 'ASC' },
    });
  }

  async revoke(caller: Caller, principalId: AdminPrincipalId): Promise<AdminPrincipalEntity> {
    return this.db.transaction(async (tx) => {
      const principal = await tx.findOne(AdminPrincipalEntity, {
        where: { id: principalId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!principal || !inScope(caller.scope, principal.tenantId))
        throw new DomainError('not_found', 'admin token not found');
      this.assertMayManage(caller, principal.tenantId);
      if (principal.revokedAt === null) {
        principal.revokedAt = new Date();
        await tx.save(principal);
        await this.audit.record(tx, {
          tenantId: principal.tenantId,
          actor: caller.actor,
          action: 'admin_token.revoke',
          targetType: 'admin_token',
          targetId: principal.id,
          before: { name: principal.name, role: principal.role, revoked: false },
          after: { name: principal.name, role: principal.role, revoked: true },
          origin: caller.origin,
        });
      }
      return principal;
    });
  }

  /**
   * Without ADMIN_TOKEN, the first start creates a platform owner token, stores its hash and
   * prints it once. Later starts find it and print nothing. Returns the token when created.
   */
  async ensureBootstrapToken(): Promise<string | null> {
    if (this.config.admin.bootstrapToken !== undefined) return null;
    const repository = this.db.getRepository(AdminPrincipalEntity);
    const existing = await repository.findOneBy({
      name: BOOTSTRAP_NAME,
      tenantId: IsNull(),
      revokedAt: IsNull(),
    });
    if (existing) return null;
    const token = generateSecret(ADMIN_TOKEN_PREFIX);
    await repository.save(
      repository.create({
        name: BOOTSTRAP_NAME,
        tenantId: null,
        role: 'owner',
        tokenHash: hashSecret(token),
        tokenPrefix: displayPrefix(token, ADMIN_TOKEN_PREFIX.length),
      }),
    );
    this.log.warn('ADMIN_TOKEN is not set: created a platform owner token (printed once on stdout).');
    return token;
  }

  /**
   * Platform tokens are managed by platform owners; a tenant's tokens by platform owners and
   * admins, and by that tenant's owners. Nobody else, whatever their role.
   */
  private assertMayManage(caller: Caller, tenantId: TenantId | null): void {
    const role = caller.actor.role;
    const allowed =
      caller.scope.kind === 'platform'
        ? tenantId === null
          ? role === 'owner'
          : role === 'owner' || role === 'admin'
        : tenantId === caller.scope.tenantId && role === 'owner';
    if (!allowed) throw new DomainError('forbidden', 'your role may not manage these admin tokens');
  }
}
