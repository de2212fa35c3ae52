import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { AdminPrincipal, AdminPrincipalService } from '@switchyard/tenants';

export const ADMIN_BEARER = 'admin-bearer';

/** `Authorization: Bearer <admin token>`: the bootstrap ADMIN_TOKEN or a stored admin token. */
@Injectable()
export class AdminBearerStrategy extends PassportStrategy(Strategy, ADMIN_BEARER) {
  constructor(private readonly principals: AdminPrincipalService) {
    super();
  }

  async validate(token: string): Promise<AdminPrincipal | false> {
    return (await this.principals.authenticate(token)) ?? false;
  }
}
