import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import {
  createClientStreamEncoder,
  createUpstreamStreamReader,
  decodeClientRequest,
  decodeUpstreamError,
  decodeUpstreamResponse,
  encodeClientError,
  encodeClientStreamError,
} from './codecs';
import { ResponsesStreamTap } from './openai-responses/stream-tap';
import { SseSplitter } from './sse/sse-splitter';
import { asClientFacing, IrError, isRetryable } from './ir/ir-error';
import { ClientProtocol, WireProtocol } from './ir/ir-request';
import { IrStreamEvent } from './ir/ir-stream';
import { COMPAT_PROFILES } from './openai-compatible/compat-profiles';
import { UpstreamResponseError } from './shared/errors';
import { arr, obj, parseJson } from './shared/read';
import { fakeFetch, fixture, fixtureText, observe } from './testing/harness';

const headers = (values: Record<string, string>) => (name: string) => values[name];

describe('upstream error bodies decode to neutral errors', () => {
  it('reads OpenAI unsupported_parameter as an invalid request with its param', () => {
    expect(
      decodeUpstreamError('openai-chat', 400, fixtureText('openai-error-400-unsupported-parameter.json')),
    ).toEqual({
      status: 400,
      type: 'invalid_request',
      message: expect.stringContaining("'max_tokens' is not supported"),
      code: 'unsupported_parameter',
      param: 'max_tokens',
    });
  });

  it('reads OpenAI insufficient_quota (a 429) as billing, not a rate limit', () => {
    const error = decodeUpstreamError(
      'openai-chat',
      429,
      fixtureText('openai-error-429-insufficient-quota.json'),
    );
    expect(error.type).toBe('billing');
    expect(error.code).toBe('insufficient_quota');
  });

  it('reads Anthropic 529 as overloaded and keeps retry-after', () => {
    const error = decodeUpstreamError(
      'anthropic-messages',
      529,
      fixtureText('anthropic-error-529-overloaded.json'),
      headers({ 'retry-after': '7' }),
    );
    expect(error).toEqual({
      status: 529,
      type: 'overloaded',
      message: 'Overloaded',
      code: 'overloaded_error',
      retryAfterSeconds: 7,
    });
    expect(isRetryable(error)).toBe(true);
  });

  it('reads the Gemini RetryInfo delay from the body ("34.4s" -> 35 s)', () => {
    const error = decodeUpstreamError('gemini', 429, fixtureText('gemini-error-429-retryinfo.json'));
    expect(error).toEqual(
      expect.objectContaining({
        status: 429,
        type: 'rate_limit',
        code: 'RESOURCE_EXHAUSTED',
        retryAfterSeconds: 35,
      }),
    );
  });

  it('reads the plain JSON error Gemini sends on the stream endpoint', () => {
    const recording = obj(parseJson(fixtureText('gemini-recording-stream-error-404.json')));
    const response = obj(obj(arr(recording?.interactions)?.[0])?.response);
    const body = JSON.stringify(arr(response?.bodySegments)?.[0]);
    expect(decodeUpstreamError('gemini', 404, body).type).toBe('not_found');
    // The same body arriving with status 200 on a stream: a clean error event, not a crash.
    const reader = createUpstreamStreamReader('gemini');
    const events = [...reader.push(Buffer.from(body)), ...reader.end()];
    expect(events).toEqual([
      { type: 'error', error: expect.objectContaining({ type: 'not_found', status: 404 }) },
    ]);
  });

  it('reads the shapes other compatible servers use', () => {
    expect(decodeUpstreamError('openai-chat', 400, '{"detail":"bad input"}').message).toBe('bad input');
    expect(decodeUpstreamError('openai-chat', 404, '{"error":"model \\"x\\" not found"}')).toEqual(
      expect.objectContaining({ type: 'not_found', message: 'model "x" not found' }),
    );
    expect(
      decodeUpstreamError(
        'openai-chat',
        400,
        '{"object":"error","message":"too long","type":"BadRequestError","code":400}',
      ).message,
    ).toBe('too long');
    expect(
      decodeUpstreamError(
        'openai-chat',
        402,
        '{"error":{"message":"Insufficient Balance","type":"unknown_error"}}',
      ).type,
    ).toBe('billing');
    expect(decodeUpstreamError('anthropic-messages', 502, '<html>Bad Gateway</html>')).toEqual(
      expect.objectContaining({ status: 502, type: 'server' }),
    );
  });
});

describe('errors encode into the client protocol shape and status', () => {
  const overloaded: IrError = {
    status: 529,
    type: 'overloaded',
    message: 'Overloaded',
    code: 'overloaded_error',
    retryAfterSeconds: 7,
  };

  it('turns Anthropic 529 into an OpenAI-shaped 503 with retry-after kept', async () => {
    const encoded = encodeClientError('openai-chat', overloaded, 'req_1');
    expect(encoded.status).toBe(503);
    expect(encoded.headers).toEqual({ 'retry-after': '7', 'x-request-id': 'req_1' });
    const client = new OpenAI({
      apiKey: 'k',
      baseURL: 'http://gw/v1',
      fetch: fakeFetch(encoded.body, 'application/json', encoded.status),
      maxRetries: 0,
    });
    const call = client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    await expect(call).rejects.toMatchObject({
      status: 503,
      type: 'server_error',
      message: expect.stringContaining('Overloaded'),
    });
  });

  it('keeps 529 overloaded_error for Anthropic clients, with request_id', async () => {
    const encoded = encodeClientError('anthropic-messages', overloaded, 'req_1');
    expect(encoded.status).toBe(529);
    expect(JSON.parse(encoded.body)).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
      request_id: 'req_1',
    });
    const client = new Anthropic({
      apiKey: 'k',
      baseURL: 'http://gw',
      fetch: fakeFetch(encoded.body, 'application/json', encoded.status),
      maxRetries: 0,
    });
    const call = client.messages.create({
      model: 'm',
      max_tokens: 1,
      messages: [{ role: 'user', content: 'hi' }],
    });
    await expect(call).rejects.toMatchObject({ status: 529 });
  });

  it.each([
    ['invalid_request', 400, 'invalid_request_error', 'invalid_request_error'],
    ['authentication', 401, 'invalid_request_error', 'authentication_error'],
    ['billing', 402, 'insufficient_quota', 'billing_error'],
    ['permission', 403, 'permission_denied', 'permission_error'],
    ['not_found', 404, 'invalid_request_error', 'not_found_error'],
    ['request_too_large', 413, 'invalid_request_error', 'request_too_large'],
    ['rate_limit', 429, 'rate_limit_exceeded', 'rate_limit_error'],
    ['timeout', 504, 'server_error', 'timeout_error'],
    ['server', 502, 'server_error', 'api_error'],
  ] as const)('%s -> %s (%s / %s)', (type, status, openAiType, anthropicType) => {
    const error: IrError = { status, type, message: 'x' };
    const openAi = encodeClientError('openai-responses', error);
    expect(openAi.status).toBe(status);
    expect(obj(obj(parseJson(openAi.body))?.error)?.type).toBe(openAiType);
    const anthropic = encodeClientError('anthropic-messages', error);
    expect(anthropic.status).toBe(type === 'server' ? 502 : status);
    expect(obj(obj(parseJson(anthropic.body))?.error)?.type).toBe(anthropicType);
  });

  it('never tells a client its own key is bad when the upstream rejected ours', () => {
    const upstream = decodeUpstreamError(
      'anthropic-messages',
      401,
      '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
    );
    expect(encodeClientError('openai-chat', asClientFacing(upstream)).status).toBe(502);
  });
});

describe('mid-stream errors reach each client protocol in its own form', () => {
  const events: IrStreamEvent[] = [
    { type: 'start', id: 'x', model: 'm' },
    { type: 'text_start', index: 0 },
    { type: 'text_delta', index: 0, text: 'partial' },
    { type: 'error', error: { status: 529, type: 'overloaded', message: 'Overloaded' } },
  ];
  const sse = (protocol: ClientProtocol): string => {
    const encoder = createClientStreamEncoder(protocol, {
      model: 'm',
      request: decodeClientRequest(protocol, requestFor(protocol)),
    });
    return events.map((event) => encoder.push(event)).join('') + encoder.end();
  };

  it('Chat: an error chunk the SDK throws on, and no [DONE]', async () => {
    const body = sse('openai-chat');
    expect(body).not.toContain('[DONE]');
    const client = new OpenAI({
      apiKey: 'k',
      baseURL: 'http://gw/v1',
      fetch: fakeFetch(body, 'text/event-stream'),
      maxRetries: 0,
    });
    const stream = client.chat.completions.stream({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
    });
    await expect(stream.finalChatCompletion()).rejects.toThrow('Overloaded');
  });

  it('Anthropic: event: error, which the SDK throws on', async () => {
    const body = sse('anthropic-messages');
    expect(body).toContain(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
    );
    const client = new Anthropic({
      apiKey: 'k',
      baseURL: 'http://gw',
      fetch: fakeFetch(body, 'text/event-stream'),
      maxRetries: 0,
    });
    const stream = client.messages.stream({
      model: 'm',
      max_tokens: 1,
      messages: [{ role: 'user', content: 'hi' }],
    });
    await expect(stream.finalMessage()).rejects.toThrow('Overloaded');
  });

  it('Responses: error then response.failed', async () => {
    const body = sse('openai-responses');
    expect(body.indexOf('event: error')).toBeLessThan(body.indexOf('event: response.failed'));
    const client = new OpenAI({
      apiKey: 'k',
      baseURL: 'http://gw/v1',
      fetch: fakeFetch(body, 'text/event-stream'),
      maxRetries: 0,
    });
    const stream = client.responses.stream({ model: 'm', input: 'hi' });
    await expect(stream.finalResponse()).rejects.toThrow('Overloaded');
  });

  it('Responses pass-through cut midway: the error continues the upstream sequence numbers', async () => {
    const bytes = fixture('responses-stream-text.sse');
    const cut = bytes.subarray(0, bytes.indexOf('event: response.output_text.done'));
    const tap = new ResponsesStreamTap();
    const forwarded: Buffer[] = [];
    for (const event of new SseSplitter().push(cut)) {
      tap.inspect(event);
      forwarded.push(event);
    }
    expect(tap.responseId).toMatch(/^resp_/);
    const tail = encodeClientStreamError(
      'openai-responses',
      { status: 504, type: 'timeout', message: 'upstream timed out' },
      'public',
      tap,
    );
    expect(tail).toContain(`"sequence_number":${tap.nextSequence},`);
    const body = Buffer.concat(forwarded).toString('utf8') + tail;
    const client = new OpenAI({
      apiKey: 'k',
      baseURL: 'http://gw/v1',
      fetch: fakeFetch(body, 'text/event-stream'),
      maxRetries: 0,
    });
    await expect(client.responses.stream({ model: 'm', input: 'hi' }).finalResponse()).rejects.toThrow(
      'upstream timed out',
    );
  });

  it.each(['openai-chat', 'openai-responses', 'anthropic-messages'] as const)(
    '%s: an upstream that just stops gets an error, not a hang',
    (protocol) => {
      const encoder = createClientStreamEncoder(protocol, { model: 'm' });
      const out = encoder.push({ type: 'start', id: 'x', model: 'm' }) + encoder.end();
      expect(out).toMatch(/error/);
    },
  );
});

function requestFor(protocol: ClientProtocol): Record<string, unknown> {
  if (protocol === 'openai-chat')
    return { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true };
  if (protocol === 'openai-responses') return { model: 'm', input: 'hi', stream: true };
  return { model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'hi' }], stream: true };
}

describe('malformed upstream output gives a clean error, never a throw', () => {
  const WIRES: WireProtocol[] = ['openai-chat', 'openai-responses', 'anthropic-messages', 'gemini'];
  const read = (wire: WireProtocol, bytes: Buffer): IrStreamEvent[] => {
    const reader = createUpstreamStreamReader(wire, COMPAT_PROFILES.generic);
    return [...reader.push(bytes), ...reader.end()];
  };

  it.each(WIRES)('%s: an HTML page with status 200', (wire) => {
    const events = read(
      wire,
      Buffer.from('<!DOCTYPE html>\n<html>\n\n<body>Bad gateway</body>\n\n</html>\n'),
    );
    expect(events).toEqual([
      { type: 'error', error: expect.objectContaining({ status: 502, code: 'upstream_protocol_error' }) },
    ]);
  });

  it.each(WIRES)('%s: truncated JSON inside an event', (wire) => {
    const events = read(
      wire,
      Buffer.from('event: message_start\ndata: {"type":"message_start","message":{"id":"m\n\n'),
    );
    expect(events[events.length - 1]).toEqual({
      type: 'error',
      error: expect.objectContaining({ code: 'upstream_protocol_error' }),
    });
  });

  it.each(WIRES)('%s: an empty body', (wire) => {
    expect(read(wire, Buffer.alloc(0))).toEqual([
      { type: 'error', error: expect.objectContaining({ status: 502 }) },
    ]);
  });

  it('skips unknown Anthropic event types and keeps decoding', () => {
    const bytes = fixture('anthropic-messages-stream-tools.sse');
    const extra = Buffer.from('event: brand_new_event\ndata: {"type":"brand_new_event","x":1}\n\n');
    const at = bytes.indexOf('event: content_block_stop');
    const seen = observe(
      read('anthropic-messages', Buffer.concat([bytes.subarray(0, at), extra, bytes.subarray(at)])),
    );
    expect(seen.error).toBeNull();
    expect(seen.tools).toHaveLength(1);
  });

  it('skips DeepSeek keep-alive comments', () => {
    const bytes = Buffer.concat([
      Buffer.from(': keep-alive\n\n: keep-alive\n\n'),
      fixture('deepseek-stream-reasoning.sse'),
    ]);
    const seen = observe(read('openai-chat', bytes));
    expect(seen.error).toBeNull();
    expect(seen.stop).toBe('stop');
  });

  it.each(WIRES)('%s: a thousand corrupted copies of a real stream never throw', (wire) => {
    const source = fixture(
      wire === 'gemini'
        ? 'gemini-stream-tool-call.sse'
        : wire === 'openai-responses'
          ? 'responses-stream-function-call.sse'
          : wire === 'anthropic-messages'
            ? 'anthropic-messages-stream-tools.sse'
            : 'openai-chat-stream-tools.sse',
    );
    let seed = 42;
    const random = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let round = 0; round < 1000; round++) {
      const bytes = Buffer.from(source);
      for (let k = 0; k < 1 + random(4); k++) bytes[random(bytes.length)] = random(256);
      const cut = random(bytes.length);
      const events = read(wire, bytes.subarray(0, bytes.length - cut));
      const last = events[events.length - 1];
      expect(last.type === 'finish' || last.type === 'error').toBe(true);
    }
  });

  it.each([
    ['openai-chat', '<html>oops</html>'],
    ['anthropic-messages', '{"content": "not an array"}'],
    [
      'openai-responses',
      '{"id":"resp_1","object":"response","status":"failed","error":{"code":"server_error","message":"boom"}}',
    ],
    ['gemini', '{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}'],
  ] as const)('%s non-stream body %s throws a typed UpstreamResponseError', (wire, body) => {
    let caught: unknown;
    try {
      decodeUpstreamResponse(wire, body);
    } catch (thrown) {
      caught = thrown;
    }
    expect(caught).toBeInstanceOf(UpstreamResponseError);
    if (caught instanceof UpstreamResponseError) expect(caught.error.status).toBeGreaterThanOrEqual(500);
  });

  it('treats DeepSeek insufficient_system_resource before any content as a retryable failure', () => {
    const body =
      '{"id":"x","object":"chat.completion","model":"deepseek-chat","choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"insufficient_system_resource"}]}';
    let caught: unknown;
    try {
      decodeUpstreamResponse('openai-chat', body, COMPAT_PROFILES.deepseek);
    } catch (thrown) {
      caught = thrown;
    }
    expect(caught instanceof UpstreamResponseError && isRetryable(caught.error)).toBe(true);
  });
});
