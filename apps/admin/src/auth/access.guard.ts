import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { DomainError } from '@switchyard/common';
import { PUBLIC_ROUTE } from '@switchyard/observability';
import { AdminPrincipal } from '@switchyard/tenants';
import { ACCESS, AccessRule } from './access';

/**
 * Role check after authentication. Fails closed: a route without an access rule is refused,
 * so a new endpoint cannot be forgotten.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]))
      return true;
    const rule = this.reflector.get<AccessRule | undefined>(ACCESS, context.getHandler());
    const principal = context.switchToHttp().getRequest<Request & { user?: AdminPrincipal }>().user;
    if (!rule || !principal) throw new DomainError('forbidden', 'this route is not available to your token');
    const roles = principal.tenantId === null ? rule.platform : rule.tenant;
    if (!roles.includes(principal.role)) {
      throw new DomainError(
        'forbidden',
        roles.length === 0
          ? 'this route needs a platform admin token'
          : `this route needs one of the roles: ${roles.join(', ')}`,
      );
    }
    return true;
  }
}
