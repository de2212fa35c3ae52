import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Request } from 'express';
import { AuditOrigin, Caller } from '@switchyard/audit';
import { tenantScope } from '@switchyard/database';
import { AdminPrincipal } from '@switchyard/tenants';

/** Where an admin request came from, for audit rows (also used for failed logins). */
export function originOf(request: Request): AuditOrigin {
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip ?? request.socket.remoteAddress ?? null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 500) : null,
    requestId: typeof request.headers['x-request-id'] === 'string' ? request.headers['x-request-id'] : null,
  };
}

export function callerOf(request: Request & { user: AdminPrincipal }): Caller {
  const principal = request.user;
  return {
    scope: tenantScope(principal.tenantId),
    actor: {
      type: principal.tenantId === null ? 'platform' : 'tenant',
      id: principal.id,
      role: principal.role,
      tenantId: principal.tenantId,
    },
    origin: originOf(request),
  };
}

/** The authenticated caller: its tenant scope, and who and where it is for the audit log. */
export const CallerParam = createParamDecorator((_: unknown, context: ExecutionContext): Caller =>
  callerOf(context.switchToHttp().getRequest<Request & { user: AdminPrincipal }>()),
);
