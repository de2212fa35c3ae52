import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { Request } from 'express';
import { Observable } from 'rxjs';
import { DomainError } from '@switchyard/common';
import { AuditService } from '@switchyard/audit';
import { PUBLIC_ROUTE } from '@switchyard/observability';
import { AdminPrincipal } from '@switchyard/tenants';
import { ADMIN_BEARER } from './admin-bearer.strategy';
import { originOf } from './caller.decorator';

/** Every admin route requires a valid admin token unless marked public; failures are audited. */
@Injectable()
export class AdminAuthGuard extends AuthGuard(ADMIN_BEARER) {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {
    super({ session: false });
  }

  override canActivate(context: ExecutionContext): boolean | Promise<boolean> | Observable<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]))
      return true;
    return super.canActivate(context);
  }

  override handleRequest<T = AdminPrincipal>(
    error: unknown,
    principal: T | false,
    _info: unknown,
    context: ExecutionContext,
  ): T {
    if (error) throw error;
    if (!principal) {
      const request = context.switchToHttp().getRequest<Request>();
      void this.audit.recordAlone({
        tenantId: null,
        actor: { type: 'anonymous', id: null, role: null, tenantId: null },
        action: 'admin.auth.failed',
        targetType: 'route',
        targetId: `${request.method} ${request.path}`,
        after: { token_presented: typeof request.headers.authorization === 'string' },
        origin: originOf(request),
      });
      throw new DomainError(
        'unauthorized',
        'A valid admin token is required: Authorization: Bearer <token>.',
      );
    }
    return principal;
  }
}
