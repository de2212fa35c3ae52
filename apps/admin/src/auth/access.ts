import { SetMetadata } from '@nestjs/common';
import { AdminRole } from '@switchyard/database';

/** Which roles of which kind of principal may call a route. Routes without one are refused. */
export interface AccessRule {
  platform: readonly AdminRole[];
  tenant: readonly AdminRole[];
}

export const ACCESS = 'switchyard:access';

const ANY_ROLE: readonly AdminRole[] = ['owner', 'admin', 'viewer'];
const WRITERS: readonly AdminRole[] = ['owner', 'admin'];

/** Read a tenant-owned resource: any role; tenant principals see only their own tenant. */
export const CanRead = (): MethodDecorator =>
  SetMetadata(ACCESS, { platform: ANY_ROLE, tenant: ANY_ROLE } satisfies AccessRule);
/** Change a tenant-owned resource: owners and admins; viewers never. */
export const CanWrite = (): MethodDecorator =>
  SetMetadata(ACCESS, { platform: WRITERS, tenant: WRITERS } satisfies AccessRule);
/** Owners only (admin tokens); finer rules live in the service. */
export const OwnersOnly = (): MethodDecorator =>
  SetMetadata(ACCESS, { platform: WRITERS, tenant: ['owner'] } satisfies AccessRule);
/** Platform-wide data (providers, models, all tenants): platform principals only. */
export const PlatformRead = (): MethodDecorator =>
  SetMetadata(ACCESS, { platform: ANY_ROLE, tenant: [] } satisfies AccessRule);
export const PlatformWrite = (): MethodDecorator =>
  SetMetadata(ACCESS, { platform: WRITERS, tenant: [] } satisfies AccessRule);
