import { RequestId } from '@switchyard/common';
import { KeyPrincipal } from '@switchyard/keys';
import { InboundFamily } from '../http/responder';

/** What every /v1 handler gets: who is calling and when the request started. */
export interface RequestContext {
  requestId: RequestId;
  startedAtMs: number;
  family: InboundFamily;
  principal: KeyPrincipal;
}
