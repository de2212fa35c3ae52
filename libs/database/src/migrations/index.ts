import { InitialSchema1764403200000 } from './1764403200000-initial-schema';
import { AuditChainAndRequestLogIndexes1764489600000 } from './1764489600000-audit-chain-and-request-log-indexes';
import { StoredResponses1764500000000 } from './1764500000000-stored-responses';

/** Every migration, in order. Listed explicitly so builds and tests load the same set. */
export const MIGRATIONS = [
  InitialSchema1764403200000,
  AuditChainAndRequestLogIndexes1764489600000,
  StoredResponses1764500000000,
];
