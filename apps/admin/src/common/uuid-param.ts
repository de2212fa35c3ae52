import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '@switchyard/common';

/** An id in the path that is not a uuid names nothing: 404, like an unknown id. */
export const uuidParam = (what: string): ParseUUIDPipe =>
  new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', `${what} not found`) });
