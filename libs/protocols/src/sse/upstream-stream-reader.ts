import { IrError, upstreamProtocolError } from '../ir/ir-error';
import { IrStreamEvent, StreamDecoder } from '../ir/ir-stream';
import { parseSseEvent } from './sse-event';
import { SseSplitter } from './sse-splitter';

/** How a protocol reads an error from a body that turned out not to be SSE. */
export type BodyErrorDecoder = (bodyText: string) => IrError | null;

/** Upper bound on what is kept of a body that never produced an SSE event (an HTML page, a JSON error). */
const MAX_NON_SSE_BYTES = 64 * 1024;

/**
 * Upstream bytes in, IR events out: splits SSE at byte level (any chunking, mid-UTF-8), parses
 * each event and feeds the protocol decoder. A body with no SSE event at all (Gemini's plain JSON
 * error on the stream endpoint, an HTML page with status 200) becomes one clean error event.
 * Never throws.
 */
export class UpstreamStreamReader {
  private readonly splitter = new SseSplitter();
  private sawEvent = false;
  private ended = false;
  private nonSse: Buffer[] = [];
  private nonSseBytes = 0;

  constructor(
    private readonly decoder: StreamDecoder,
    private readonly bodyError?: BodyErrorDecoder,
  ) {}

  push(chunk: Buffer): IrStreamEvent[] {
    if (this.ended) return [];
    const out: IrStreamEvent[] = [];
    for (const raw of this.splitter.push(chunk)) this.feed(raw, out);
    return out;
  }

  end(): IrStreamEvent[] {
    if (this.ended) return [];
    this.ended = true;
    const out: IrStreamEvent[] = [];
    const rest = this.splitter.rest();
    // A last event without its blank line (a server that just closes) still counts.
    if (rest) this.feed(rest, out);
    if (!this.sawEvent) {
      const text = Buffer.concat(this.nonSse).toString('utf8');
      const error =
        (text.trim() && this.bodyError?.(text)) ||
        upstreamProtocolError('upstream answered with a body that is not an event stream');
      return [{ type: 'error', error }];
    }
    try {
      out.push(...this.decoder.end());
    } catch (thrown) {
      out.push({ type: 'error', error: upstreamProtocolError(`stream decoder failed: ${String(thrown)}`) });
    }
    return out;
  }

  private feed(raw: Buffer, out: IrStreamEvent[]): void {
    const event = parseSseEvent(raw);
    if (!event) {
      if (!this.sawEvent && this.nonSseBytes < MAX_NON_SSE_BYTES) {
        this.nonSse.push(raw);
        this.nonSseBytes += raw.length;
      }
      return;
    }
    this.sawEvent = true;
    this.nonSse = [];
    try {
      out.push(...this.decoder.push(event));
    } catch (thrown) {
      // Decoders are written not to throw; if one ever does, the client still gets a clean error.
      this.ended = true;
      out.push({ type: 'error', error: upstreamProtocolError(`stream decoder failed: ${String(thrown)}`) });
    }
  }
}
