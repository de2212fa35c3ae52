import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonObject } from '@switchyard/common';
import { IrStreamEvent, StreamDecoder, StreamEncoder } from '../ir/ir-stream';
import { NormalizedUsage } from '../shared/usage';
import { obj, parseJson, str } from '../shared/read';
import { BodyErrorDecoder, UpstreamStreamReader } from '../sse/upstream-stream-reader';

/** Test-only helpers shared by the protocol specs (not exported from the library). */

const FIXTURES = join(__dirname, '../../../../test/fixtures/protocols');

export const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));
export const fixtureText = (name: string): string => fixture(name).toString('utf8');

export function requestFixture(name: string): { body: JsonObject; headers: JsonObject; path: string } {
  const root = obj(parseJson(fixtureText(`requests/${name}`)));
  const body = root && obj(root.body);
  if (!root || !body) throw new Error(`bad request fixture ${name}`);
  return { body, headers: obj(root.headers) ?? {}, path: str(root.path) ?? '' };
}

/** Feeds `bytes` to a fresh reader cut at `cuts` (byte offsets) and returns every IR event. */
export function decodeBytes(
  decoder: StreamDecoder,
  bytes: Buffer,
  cuts: readonly number[] = [],
  bodyError?: BodyErrorDecoder,
): IrStreamEvent[] {
  const reader = new UpstreamStreamReader(decoder, bodyError);
  const events: IrStreamEvent[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    events.push(...reader.push(bytes.subarray(start, cut)));
    start = cut;
  }
  events.push(...reader.end());
  return events;
}

export function encodeAll(encoder: StreamEncoder, events: readonly IrStreamEvent[]): string {
  let out = '';
  for (const event of events) out += encoder.push(event);
  return out + encoder.end();
}

/** What a client would see from an IR stream, assembled independently of any encoder. */
export interface Observed {
  text: string;
  reasoning: string;
  tools: Array<{ id: string; name: string; args: unknown }>;
  stop: string | null;
  usage: NormalizedUsage | null;
  error: string | null;
}

export function observe(events: readonly IrStreamEvent[]): Observed {
  const seen: Observed = { text: '', reasoning: '', tools: [], stop: null, usage: null, error: null };
  const args = new Map<number, { id: string; name: string; json: string }>();
  const order: number[] = [];
  for (const event of events) {
    switch (event.type) {
      case 'text_delta':
        seen.text += event.text;
        break;
      case 'reasoning_delta':
        seen.reasoning += event.text;
        break;
      case 'tool_start':
        args.set(event.index, { id: event.id, name: event.name, json: '' });
        order.push(event.index);
        break;
      case 'tool_args_delta': {
        const call = args.get(event.index);
        if (call) call.json += event.json;
        break;
      }
      case 'usage':
        seen.usage = event.usage;
        break;
      case 'finish':
        seen.stop = event.reason;
        break;
      case 'error':
        seen.error = event.error.message;
        break;
      default:
        break;
    }
  }
  seen.tools = order.map((index) => {
    const call = args.get(index);
    return { id: call?.id ?? '', name: call?.name ?? '', args: JSON.parse(call?.json || '{}') };
  });
  return seen;
}

/** A fetch that answers every call with `body`, for driving the official SDKs offline. */
export function fakeFetch(
  body: string,
  contentType: string,
  status = 200,
): (input: unknown, init?: unknown) => Promise<Response> {
  return () => Promise.resolve(new Response(body, { status, headers: { 'content-type': contentType } }));
}

/** Cut points: every offset for small inputs, a spread of awkward ones for large. */
export function cutPoints(bytes: Buffer): number[][] {
  if (bytes.length <= 4000) return Array.from({ length: bytes.length - 1 }, (_, i) => [i + 1]);
  const cuts: number[][] = [];
  for (let at = 1; at < bytes.length; at += 97) cuts.push([at, Math.min(bytes.length, at + 3)]);
  return cuts;
}
