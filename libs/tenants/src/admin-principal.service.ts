import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AdminPrincipalId, TenantId } from '@switchyard/common';
import { AppConfig } from '@switchyard/config';
import { constantTimeEquals, displayPrefix, generateSecret, hashSecret } from '@switchyard/crypto';
import { AdminPrincipalEntity, AdminRole } from '@switchyard/database';

export const ADMIN_TOKEN_PREFIX = 'sy-admin-';
const BOOTSTRAP_NAME = 'bootstrap';

/** Who is calling the admin API. `tenantId` null means platform-wide. */
export interface AdminPrincipal {
  id: AdminPrincipalId | 'env';
  tenantId: TenantId | null;
  role: AdminRole;
  name: string;
}

/** Admin tokens: the bootstrap ADMIN_TOKEN from the environment, and tokens stored hashed. */
@Injectable()
export class AdminPrincipalService {
  private readonly log = new Logger(AdminPrincipalService.name);

  constructor(
    @InjectRepository(AdminPrincipalEntity) private readonly principals: Repository<AdminPrincipalEntity>,
    private readonly config: AppConfig,
  ) {}

  /** Resolves a presented bearer token to a principal, or null. */
  async authenticate(token: string): Promise<AdminPrincipal | null> {
    const bootstrap = this.config.admin.bootstrapToken;
    if (bootstrap !== undefined && constantTimeEquals(token, bootstrap)) {
      return { id: 'env', tenantId: null, role: 'owner', name: 'ADMIN_TOKEN' };
    }
    // The lookup is by SHA-256 of the token: its timing says nothing about any stored token.
    const stored = await this.principals.findOneBy({ tokenHash: hashSecret(token), revokedAt: IsNull() });
    if (!stored) return null;
    return { id: stored.id, tenantId: stored.tenantId, role: stored.role, name: stored.name };
  }

  /**
   * Without ADMIN_TOKEN, the first start creates a platform owner token, stores its hash and
   * prints it once. Later starts find it and print nothing. Returns the token when created.
   */
  async ensureBootstrapToken(): Promise<string | null> {
    if (this.config.admin.bootstrapToken !== undefined) return null;
    const existing = await this.principals.findOneBy({ name: BOOTSTRAP_NAME, tenantId: IsNull(), revokedAt: IsNull() });
    if (existing) return null;
    const token = generateSecret(ADMIN_TOKEN_PREFIX);
    await this.principals.save(
      this.principals.create({
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
}
