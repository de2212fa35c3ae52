import { randomUUID } from 'node:crypto';
import { RequestId } from '@switchyard/common';

const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller's `x-request-id` when it is a sane token, else mints a new one. */
export function requestIdFrom(header: string | string[] | undefined): RequestId {
  const value = Array.isArray(header) ? header[0] : header;
  return (
    value !== undefined && ACCEPTABLE.test(value) ? value : `req_${randomUUID().replace(/-/g, '')}`
  ) as RequestId;
}
