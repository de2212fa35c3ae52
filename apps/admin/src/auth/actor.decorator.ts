import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Request } from 'express';
import { AdminPrincipal } from '@switchyard/tenants';

/** The authenticated admin principal of the request. */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): AdminPrincipal => {
  const request = context.switchToHttp().getRequest<Request & { user: AdminPrincipal }>();
  return request.user;
});
