import { IncomingHttpHeaders } from 'node:http';
import { isJsonObject, JsonObject, JsonValue } from '@switchyard/common';
import { ClientProtocol, decodeClientRequest, IrRequest } from '@switchyard/protocols';
import { ClientForward } from '@switchyard/providers';
import { protocolError } from '../errors/protocol-errors';

/**
 * One client request on a generation route, as read off the wire: its text (kept byte for byte
 * for pass-through), the parsed body, and the IR, decoded only when an upstream needs a
 * translation (pass-through never pays for it).
 */
export class Inbound {
  private decoded: IrRequest | null = null;
  /** The body with earlier turns (previous_response_id) spelled out, when there are any. */
  private expanded: { text: string; body: JsonObject } | null = null;

  constructor(
    readonly protocol: ClientProtocol,
    readonly text: string,
    readonly body: JsonObject,
    readonly forward: ClientForward,
  ) {}

  get stream(): boolean {
    return this.body.stream === true;
  }

  /** Chat only: the client set `stream_options.include_usage` itself. */
  get clientWantsUsage(): boolean {
    const options = this.body.stream_options;
    return this.stream && isJsonObject(options) && options.include_usage === true;
  }

  /**
   * Replaces `previous_response_id` by the items of the earlier turns followed by this turn's
   * input, for every upstream that does not hold the conversation itself.
   */
  expandHistory(history: JsonValue[], input: JsonValue[]): void {
    const items = [...history, ...input];
    const body: JsonObject = { ...this.body, input: items, previous_response_id: null };
    this.expanded = { text: JSON.stringify(body), body };
    this.decoded = null;
  }

  /** The body text for a pass-through upstream (`keepsState`: it holds the previous response). */
  passThroughText(keepsState: boolean): string {
    return keepsState || !this.expanded ? this.text : this.expanded.text;
  }

  /** The request in the IR; throws a 400 GatewayError when it cannot be decoded. */
  ir(): IrRequest {
    if (this.decoded) return this.decoded;
    try {
      this.decoded = decodeClientRequest(this.protocol, this.expanded?.body ?? this.body);
    } catch (error) {
      throw protocolError(error);
    }
    return this.decoded;
  }
}

/** The client headers and query a pass-through request carries upstream. */
export function clientForward(headers: IncomingHttpHeaders, query: string): ClientForward {
  const forward: ClientForward = { query };
  const version = single(headers['anthropic-version']);
  const beta = headers['anthropic-beta'];
  if (version) forward.anthropicVersion = version;
  // Several anthropic-beta headers mean the same as one comma-separated list.
  if (beta) forward.anthropicBeta = Array.isArray(beta) ? beta.join(',') : beta;
  return forward;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
