import { InitialSchema1764403200000 } from './1764403200000-initial-schema';

/** Every migration, in order. Listed explicitly so builds and tests load the same set. */
export const MIGRATIONS = [InitialSchema1764403200000];
