import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { Observable } from 'rxjs';
import { DomainError } from '@switchyard/common';
import { PUBLIC_ROUTE } from '@switchyard/observability';
import { AdminPrincipal } from '@switchyard/tenants';
import { ADMIN_BEARER } from './admin-bearer.strategy';

/** Marks a route that needs no admin token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** Every admin route requires a valid admin token unless marked @Public(). */
@Injectable()
export class AdminAuthGuard extends AuthGuard(ADMIN_BEARER) {
  constructor(private readonly reflector: Reflector) {
    super({ session: false });
  }

  override canActivate(context: ExecutionContext): boolean | Promise<boolean> | Observable<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    return super.canActivate(context);
  }

  override handleRequest<T = AdminPrincipal>(error: unknown, principal: T | false): T {
    if (error) throw error;
    if (!principal) {
      throw new DomainError('unauthorized', 'A valid admin token is required: Authorization: Bearer <token>.');
    }
    return principal;
  }
}
