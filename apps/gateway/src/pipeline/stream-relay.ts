import { Readable } from 'node:stream';
import { isJsonObject, JsonObject } from '@switchyard/common';
import {
  createClientStreamEncoder,
  createStreamTap,
  createUpstreamStreamReader,
  encodeClientStreamError,
  IrError,
  IrStreamEvent,
  isRetryable,
  NormalizedUsage,
  parseSseEvent,
  ResponsesStreamTap,
  SseSplitter,
  TapVerdict,
  upstreamProtocolError,
} from '@switchyard/protocols';
import { classifyUpstreamError, UpstreamFailure } from '@switchyard/providers';
import { GatewayError } from '../errors/gateway-error';
import { Attempt, Exchange, estimatedUsage, meterClientGone, Step } from './exchange';
import { errorForUpstreamFailure } from './upstream-errors';

/** Longest silence a translated stream leaves on the client's connection. */
const KEEP_ALIVE_MS = 15_000;

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/** Called with a finished Responses answer before its terminal event reaches the client. */
export type StoreHook = (response: JsonObject) => Promise<void>;

/**
 * Relays an upstream stream in the client's own protocol (pass-through): bytes are split into
 * events at byte level and forwarded as they are, except the usage chunk the gateway injected
 * for billing. The tap reads usage, the end and in-band errors. The status line waits for the
 * first event, so an upstream that opens with an error (Anthropic overloaded on a 200) can still
 * fail over.
 */
export async function relayTappedStream(
  x: Exchange,
  attempt: Attempt,
  body: Readable,
  store: StoreHook | null,
): Promise<Step> {
  const splitter = new SseSplitter();
  const tap = createStreamTap(attempt.wire, {
    clientWantsUsage: x.inbound.clientWantsUsage,
    profile: attempt.profile,
  });
  let events = 0;
  let stored = false;
  try {
    for await (const chunk of body) {
      const forward: Buffer[] = [];
      for (const event of splitter.push(chunk as Buffer)) {
        if (tap.inspect(event) !== TapVerdict.Forward) continue;
        if (!x.res.headersSent) {
          if (tap.errored)
            return failedBeforeFirstByte(
              tap.error ?? upstreamProtocolError('upstream stream opened with an error'),
            );
          writeSseHead(x);
        }
        if (store && !stored && tap.done && !tap.errored) {
          // The client may continue this response as soon as it sees it complete: store it first.
          stored = true;
          await writeAll(x, forward.splice(0));
          const response = terminalResponse(event);
          if (response) await store(response);
        }
        forward.push(event);
        events++;
      }
      await writeAll(x, forward);
    }
    const rest = splitter.rest();
    if (rest && tap.inspect(rest) === TapVerdict.Forward && x.res.headersSent)
      await writeAll(x, [rest, Buffer.from('\n\n')]);
  } catch (error) {
    if (x.signal.aborted) {
      meterClientGone(x, tap.usage, Math.max(0, events - 1), tap.done);
      return 'done';
    }
    const failure = classifyUpstreamError(error);
    if (!x.res.headersSent)
      return { error: errorForUpstreamFailure(nonAbort(failure), error), retryable: true };
    const irError = brokenStream(failure);
    x.res.end(
      encodeClientStreamError(
        x.inbound.protocol,
        irError,
        x.publicModel,
        tap instanceof ResponsesStreamTap ? tap : undefined,
      ),
    );
    x.meter.finish(
      'upstream_error',
      200,
      failure === 'timeout' ? 'upstream.timeout' : 'upstream.error',
      estimatedUsage(x.inbound, tap.usage, Math.max(0, events - 1)),
      true,
    );
    return 'done';
  }
  if (!x.res.headersSent) {
    return failedBeforeFirstByte(
      tap.error ?? upstreamProtocolError('upstream ended the stream before sending anything'),
    );
  }
  if (!tap.done && !tap.errored) {
    // The upstream closed without its end marker: say so in the client's protocol.
    const irError = upstreamProtocolError('The upstream provider ended the stream early.');
    x.res.end(
      encodeClientStreamError(
        x.inbound.protocol,
        irError,
        x.publicModel,
        tap instanceof ResponsesStreamTap ? tap : undefined,
      ),
    );
    x.meter.finish(
      'upstream_error',
      200,
      'upstream.bad_response',
      estimatedUsage(x.inbound, tap.usage, Math.max(0, events - 1)),
      true,
    );
    return 'done';
  }
  x.res.end();
  finishMeter(x, tap.errored, tap.usage, Math.max(0, events - 1));
  return 'done';
}

/**
 * Relays an upstream stream translated into the client's protocol: upstream bytes -> IR events
 * -> client events, one write per upstream chunk. Events before the first content block (start,
 * usage) are held, so an upstream error before any content becomes a proper HTTP error, or a
 * failover.
 */
export async function relayTranslatedStream(
  x: Exchange,
  attempt: Attempt,
  body: Readable,
  store: StoreHook | null,
): Promise<Step> {
  const reader = createUpstreamStreamReader(attempt.wire, attempt.profile);
  const encoder = createClientStreamEncoder(x.inbound.protocol, {
    model: x.publicModel,
    request: x.inbound.ir(),
    id: x.responseId,
  });
  const held: IrStreamEvent[] = [];
  let usage: NormalizedUsage | null = null;
  let outputBytes = 0;
  let finished = false;
  let upstreamError: IrError | null = null;
  let lastWriteMs = Date.now();
  // A translating decoder swallows the upstream's own keep-alives (Anthropic `ping`): during a long
  // silence (a model thinking without showing it) the client still gets bytes, so proxies keep the line.
  const keepAlive = setInterval(() => {
    if (!x.res.headersSent || x.res.destroyed || Date.now() - lastWriteMs < KEEP_ALIVE_MS) return;
    lastWriteMs = Date.now();
    x.res.write(encoder.keepAlive());
  }, KEEP_ALIVE_MS / 3);
  keepAlive.unref();

  /** Encodes a batch of IR events and writes them; returns a failure if nothing was sent yet. */
  const emit = async (events: IrStreamEvent[]): Promise<Step | null> => {
    let out = '';
    for (const event of events) {
      switch (event.type) {
        case 'start':
          if (event.usage) usage = event.usage;
          break;
        case 'usage':
          usage = event.usage;
          break;
        case 'text_delta':
        case 'reasoning_delta':
          outputBytes += Buffer.byteLength(event.text);
          break;
        case 'tool_args_delta':
          outputBytes += Buffer.byteLength(event.json);
          break;
        case 'finish':
          finished = true;
          break;
        case 'error':
          upstreamError = event.error;
          break;
        default:
          break;
      }
      if (!x.res.headersSent) {
        if (event.type === 'error') return failedBeforeFirstByte(event.error);
        if (event.type === 'start' || event.type === 'usage') {
          held.push(event);
          continue;
        }
        writeSseHead(x);
        for (const early of held.splice(0)) out += encoder.push(early);
      }
      const piece = encoder.push(event);
      if (store && event.type === 'finish') {
        // Stored before the client can see (and continue) the completed response.
        const response = completedIn(piece);
        if (response) await store(response);
      }
      out += piece;
    }
    if (out) {
      lastWriteMs = Date.now();
      await write(x, out);
    }
    return null;
  };

  try {
    for await (const chunk of body) {
      const failed = await emit(reader.push(chunk as Buffer));
      if (failed) {
        clearInterval(keepAlive);
        return failed;
      }
    }
    const failed = await emit(reader.end());
    if (failed) {
      clearInterval(keepAlive);
      return failed;
    }
  } catch (error) {
    clearInterval(keepAlive);
    const output = Math.ceil(outputBytes / 4);
    if (x.signal.aborted) {
      meterClientGone(x, usage, output, finished);
      return 'done';
    }
    const failure = classifyUpstreamError(error);
    if (!x.res.headersSent)
      return { error: errorForUpstreamFailure(nonAbort(failure), error), retryable: true };
    x.res.end(encoder.push({ type: 'error', error: brokenStream(failure) }) + encoder.end());
    x.meter.finish(
      'upstream_error',
      200,
      failure === 'timeout' ? 'upstream.timeout' : 'upstream.error',
      estimatedUsage(x.inbound, usage, output),
      true,
    );
    return 'done';
  }
  clearInterval(keepAlive);
  if (!x.res.headersSent) {
    // A stream with no content at all (an empty answer): still a well-formed one.
    writeSseHead(x);
    let out = '';
    for (const early of held.splice(0)) out += encoder.push(early);
    await write(x, out);
  }
  x.res.end(encoder.end());
  finishMeter(
    x,
    upstreamError !== null || !finished,
    finished ? usage : null,
    Math.ceil(outputBytes / 4),
    usage,
  );
  return 'done';
}

function finishMeter(
  x: Exchange,
  errored: boolean,
  usage: NormalizedUsage | null,
  outputTokens: number,
  partial: NormalizedUsage | null = usage,
): void {
  const outcome = errored ? 'upstream_error' : 'success';
  const code = errored ? 'upstream.stream_error' : null;
  if (usage && !errored) x.meter.finish(outcome, 200, code, usage);
  else x.meter.finish(outcome, 200, code, estimatedUsage(x.inbound, partial, outputTokens), true);
}

function failedBeforeFirstByte(error: IrError): Step {
  return { error: GatewayError.fromUpstream(error), retryable: isRetryable(error) };
}

function nonAbort(failure: UpstreamFailure): Exclude<UpstreamFailure, 'aborted'> {
  return failure === 'aborted' ? 'reset' : failure;
}

function brokenStream(failure: UpstreamFailure): IrError {
  return failure === 'timeout'
    ? {
        status: 504,
        type: 'timeout',
        message: 'The upstream provider stopped sending in time.',
        code: 'upstream_timeout',
      }
    : {
        status: 502,
        type: 'server',
        message: 'The connection to the upstream provider broke mid-stream.',
        code: 'upstream_error',
      };
}

function writeSseHead(x: Exchange): void {
  const headers: Record<string, string> = { ...SSE_HEADERS, 'x-request-id': x.ctx.requestId };
  if (x.family === 'anthropic') headers['request-id'] = x.ctx.requestId;
  x.res.writeHead(200, headers);
}

/** Writes with backpressure: waits for `drain` (or the socket closing) when the buffer is full. */
async function writeAll(x: Exchange, parts: Buffer[]): Promise<void> {
  if (parts.length === 0) return;
  // One write per upstream chunk: fewer syscalls than one per event.
  await write(x, parts.length === 1 ? parts[0] : Buffer.concat(parts));
}

async function write(x: Exchange, data: Buffer | string): Promise<void> {
  if (x.res.destroyed) return;
  if (!x.res.write(data)) await drained(x);
}

function drained(x: Exchange): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      x.res.off('drain', done);
      x.res.off('close', done);
      resolve();
    };
    x.res.on('drain', done);
    x.res.on('close', done);
  });
}

/** The `response` object of a pass-through Responses terminal event (completed / incomplete). */
function terminalResponse(event: Buffer): JsonObject | null {
  const parsed = parseSseEvent(event);
  if (!parsed) return null;
  return responseOf(parsed.data);
}

/** The `response` object of the response.completed / .incomplete event in encoded SSE text. */
function completedIn(sse: string): JsonObject | null {
  for (const block of sse.split('\n\n')) {
    if (!block.startsWith('event: response.completed') && !block.startsWith('event: response.incomplete'))
      continue;
    const parsed = parseSseEvent(block);
    return parsed ? responseOf(parsed.data) : null;
  }
  return null;
}

function responseOf(data: string): JsonObject | null {
  try {
    const value: unknown = JSON.parse(data);
    return isJsonObject(value) && isJsonObject(value.response) ? value.response : null;
  } catch {
    return null; // a terminal event we cannot read is forwarded as is; only storing it is skipped
  }
}
