import { ServerResponse } from 'node:http';
import { JsonValue } from '@switchyard/common';
import { CatalogDeployment, CatalogModel } from '@switchyard/catalog';
import {
  CompatProfile,
  estimateRequestTokens,
  IrRequest,
  estimateTokensFromBytes,
  NormalizedUsage,
  WireProtocol,
} from '@switchyard/protocols';
import { GatewayError } from '../errors/gateway-error';
import { InboundFamily } from '../http/responder';
import { ResponseHistory } from '../responses/stored-responses';
import { Inbound } from './inbound';
import { RequestContext } from './request-context';
import { RequestMeter } from './request-meter';

/** A Responses request's conversation: what came before it and whether to keep this turn. */
export interface Conversation {
  /** `store` was not false: this response is kept for a later previous_response_id. */
  store: boolean;
  previousId: string | null;
  history: ResponseHistory | null;
  /** This turn's own input items (what is stored for it). */
  input: JsonValue[];
}

/** Everything one generation request carries through its attempts. */
export interface Exchange {
  ctx: RequestContext;
  meter: RequestMeter;
  res: ServerResponse;
  family: InboundFamily;
  inbound: Inbound;
  model: CatalogModel;
  /** The model name the client asked for (alias included): echoed back in every answer. */
  publicModel: string;
  signal: AbortSignal;
  conversation: Conversation | null;
  /** Minted for translated Responses answers, so the id can be stored before the client sees it. */
  responseId: string | undefined;
  /** The request with web image URLs fetched and inlined, for upstreams that cannot fetch them (once per request). */
  inlined: IrRequest | null;
}

/** One deployment being tried: which wire it speaks and whether the body is passed through. */
export interface Attempt {
  deployment: CatalogDeployment;
  wire: WireProtocol;
  passThrough: boolean;
  profile: CompatProfile | undefined;
}

/** How an attempt ended: answered (and metered), or failed before the first byte reached the client. */
export type Step = 'done' | { error: GatewayError; retryable: boolean };

/**
 * Usage when the upstream reported none, or only part (a client that left mid-stream, a stream
 * cut short): input from the request, output from what was delivered. The event says it is an
 * estimate. A partial snapshot keeps its exact input and cache counts.
 */
export function estimatedUsage(
  inbound: Inbound,
  snapshot: NormalizedUsage | null,
  outputTokens: number,
): NormalizedUsage {
  if (snapshot) return { ...snapshot, output: Math.max(snapshot.output, outputTokens) };
  return { input: estimateInput(inbound), cachedInput: 0, cacheWrite: 0, output: outputTokens, reasoning: 0 };
}

function estimateInput(inbound: Inbound): number {
  try {
    return estimateRequestTokens(inbound.ir());
  } catch {
    // A pass-through body the upstream took but the decoder would not: fall back to its size.
    return estimateTokensFromBytes(Buffer.byteLength(inbound.text));
  }
}

/** Finishes the meter for a client that left; whatever was delivered is billed. */
export function meterClientGone(
  x: Exchange,
  usage: NormalizedUsage | null,
  outputTokens: number,
  finished: boolean,
): void {
  const status = x.meter.firstByteAtMs === null || !x.res.headersSent ? 499 : 200;
  if (usage && finished) x.meter.finish('client_abort', status, 'client.disconnected', usage);
  else
    x.meter.finish(
      'client_abort',
      status,
      'client.disconnected',
      estimatedUsage(x.inbound, usage, outputTokens),
      true,
    );
}
