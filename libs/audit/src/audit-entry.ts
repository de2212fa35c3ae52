import { createHash } from 'node:crypto';
import { JsonObject } from '@switchyard/common';
import { TenantScope } from '@switchyard/database';
import { canonicalJson } from './canonical-json';

/** Who did something: a platform or tenant admin, the system itself, or an unauthenticated caller. */
export interface AuditActor {
  type: 'platform' | 'tenant' | 'system' | 'anonymous';
  id: string | null;
  role: string | null;
  /** The tenant the actor belongs to (tenant admins only). */
  tenantId: string | null;
}

/** Where the call came from. */
export interface AuditOrigin {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  /** The tenant whose chain the row joins; null for platform-level objects. */
  tenantId: string | null;
  actor: AuditActor;
  /** Dotted verb, e.g. `api_key.create`, `provider.credential.rotate`, `admin.auth.failed`. */
  action: string;
  targetType: string | null;
  targetId: string | null;
  before?: JsonObject | null;
  after?: JsonObject | null;
  origin: AuditOrigin;
}

/** The fields of a stored row that its hash covers, in a fixed order. */
export interface HashedFields {
  tenantId: string | null;
  actorType: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: JsonObject | null;
  after: JsonObject | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  createdAt: Date;
  prevHash: string | null;
}

/** SHA-256 over the previous row's hash and this row's canonical content. */
export function rowHash(fields: HashedFields): string {
  const content = canonicalJson([
    fields.tenantId,
    fields.actorType,
    fields.actorId,
    fields.actorRole,
    fields.action,
    fields.targetType,
    fields.targetId,
    fields.before,
    fields.after,
    fields.ip,
    fields.userAgent,
    fields.requestId,
    fields.createdAt.toISOString(),
  ]);
  return createHash('sha256')
    .update(fields.prevHash ?? 'genesis')
    .update('\n')
    .update(content)
    .digest('hex');
}

/**
 * The caller of a control-plane operation: what it may see (scope), and who and where it is for
 * the audit row the operation writes.
 */
export interface Caller {
  scope: TenantScope;
  actor: AuditActor;
  origin: AuditOrigin;
}

/** The system itself (declarative start, maintenance commands). */
export const SYSTEM_ACTOR: AuditActor = Object.freeze({
  type: 'system',
  id: null,
  role: null,
  tenantId: null,
});
