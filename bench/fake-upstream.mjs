#!/usr/bin/env node
// A minimal, fast OpenAI-compatible upstream for the benchmark: answers POST /v1/chat/completions
// at once, so everything measured above it is the cost of whatever sits in between.
//
//   node bench/fake-upstream.mjs [--port=0]     prints `listening <port>` on stdout when ready
//
// Plain node:http with every response body prebuilt: this process runs on the load generator's
// core, and each microsecond it spends is a microsecond the load generator cannot use.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const created = Math.floor(Date.now() / 1000);
const id = 'chatcmpl-bench0000000000000000000000';
const fingerprint = 'fp_bench00000';

// A realistic answer: an assistant message of a few sentences (~150 tokens of text, ~900 bytes
// in all) with the full usage object real OpenAI returns, details included.
const ANSWER =
  'Switchyard is a multi-tenant gateway: every tenant points its SDK at one base URL with one key, ' +
  'calls any model by name, and the operator meters, prices, limits and invoices each call. ' +
  'Requests are authenticated with a hashed key, routed to an upstream deployment by priority and ' +
  'weight, and the usage reported by the upstream is recorded once per request.';

const USAGE = {
  prompt_tokens: 42,
  completion_tokens: 68,
  total_tokens: 110,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 0,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
};

const completionBody = (model) =>
  JSON.stringify({
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: ANSWER, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: USAGE,
    service_tier: 'default',
    system_fingerprint: fingerprint,
  });

// The stream a real OpenAI upstream sends: a role chunk, content chunks, a finish chunk, the
// `choices: []` usage chunk only when `stream_options.include_usage` is set, then `[DONE]`.
const CONTENT_PIECES = [
  'Switchyard meters',
  ' every call',
  ' once,',
  ' from the',
  ' usage the',
  ' upstream reports.',
];

const chunk = (model, choices, extra = {}) =>
  `data: ${JSON.stringify({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    service_tier: 'default',
    system_fingerprint: fingerprint,
    choices,
    ...extra,
  })}\n\n`;

const streamEvents = (model, includeUsage) => {
  const events = [
    chunk(model, [
      {
        index: 0,
        delta: { role: 'assistant', content: '', refusal: null },
        logprobs: null,
        finish_reason: null,
      },
    ]),
    ...CONTENT_PIECES.map((content) =>
      chunk(model, [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }]),
    ),
    chunk(model, [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]),
  ];
  // Real OpenAI sends `usage: null` on every chunk when include_usage is set; the difference in
  // bytes is small, so only the final usage chunk is modelled.
  if (includeUsage)
    events.push(chunk(model, [], { usage: { ...USAGE, completion_tokens: 12, total_tokens: 54 } }));
  events.push('data: [DONE]\n\n');
  return events;
};

// Bodies are cached per (model, include_usage): the bench uses one or two model names, so this
// turns every answer into a lookup.
const cache = new Map();
const cached = (key, build) => {
  let value = cache.get(key);
  if (value === undefined) {
    value = build();
    cache.set(key, value);
  }
  return value;
};

const sendJson = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

const handle = (req, res, raw) => {
  let request;
  try {
    request = JSON.parse(raw);
  } catch {
    return sendJson(
      res,
      400,
      '{"error":{"message":"invalid JSON","type":"invalid_request_error","code":null}}',
    );
  }
  const model = typeof request.model === 'string' ? request.model : 'gpt-4o-mini';
  if (request.stream === true) {
    const includeUsage = request.stream_options?.include_usage === true;
    const events = cached(`s:${model}:${includeUsage}`, () => streamEvents(model, includeUsage));
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    // One write per event, as a real upstream flushes them; all in the same tick ("instant").
    for (let i = 0; i < events.length - 1; i++) res.write(events[i]);
    res.end(events[events.length - 1]);
    return;
  }
  sendJson(
    res,
    200,
    cached(`j:${model}`, () => completionBody(model)),
  );
};

export const createFakeUpstream = () =>
  createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    if (req.method === 'POST' && req.url === '/v1/chat/completions') {
      const parts = [];
      req.on('data', (part) => parts.push(part));
      req.on('end', () => handle(req, res, Buffer.concat(parts).toString('utf8')));
      return;
    }
    if (req.method === 'GET' && req.url === '/health') return sendJson(res, 200, '{"ok":true}');
    sendJson(res, 404, '{"error":{"message":"not found","type":"invalid_request_error","code":null}}');
  });

// Run as a program (the benchmark spawns it pinned to the load generator's core).
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const portArg = process.argv.find((arg) => arg.startsWith('--port='));
  const server = createFakeUpstream();
  // The default headersTimeout/requestTimeout never fire here; keep-alive sockets stay open.
  server.listen(portArg ? Number(portArg.slice(7)) : 0, '127.0.0.1', () => {
    process.stdout.write(`listening ${server.address().port}\n`);
  });
  const stop = () => server.close(() => process.exit(0)).closeAllConnections();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
