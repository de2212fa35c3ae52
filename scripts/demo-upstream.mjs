#!/usr/bin/env node
// A tiny OpenAI-compatible upstream for the quick start: with no provider key configured, the
// gateway still has something real to call over HTTP, so the first curl shows auth, routing,
// streaming and metering working. It answers with a short canned reply and usage counted the
// way an upstream reports it. Not a test fake (those replay recorded payloads).
//
//   node scripts/demo-upstream.mjs [--port 0] [--host 127.0.0.1] [--api-key KEY]
// prints "listening <base_url>" once it accepts connections.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

export const DEMO_UPSTREAM_MODEL = 'demo-1';
const MAX_BODY_BYTES = 32 * 1024 * 1024; // above the gateway's default body limit
const CHUNK_DELAY_MS = 15;

const REPLY =
  'Hello from the Switchyard demo upstream! Your request was authenticated with a tenant key, ' +
  'routed to this model and metered. Set OPENAI_API_KEY (or another provider key) to reach a real model.';

/** Whitespace-separated pieces with their trailing space: each one is a stream delta and a "token". */
const REPLY_PIECES = REPLY.match(/\S+\s*/g) ?? [REPLY];

/** Roughly how upstream tokenizers count: ~4 characters a token, plus per-message framing. */
function promptTokens(messages) {
  let total = 3;
  for (const message of Array.isArray(messages) ? messages : []) {
    total += 4 + Math.ceil(JSON.stringify(message?.content ?? '').length / 4);
  }
  return total;
}

function usageOf(prompt, completion) {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res, status, message, type, code = null) {
  sendJson(res, status, { error: { message, type, param: null, code } });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      // Keep draining past the limit so the 413 can still be written on this connection.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(Object.assign(new Error('Request body too large.'), { status: 413 }));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function chatCompletion(req, res) {
  let body;
  try {
    body = JSON.parse(await readBody(req));
  } catch (error) {
    if (error?.status === 413) return sendError(res, 413, error.message, 'invalid_request_error');
    return sendError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
  }
  if (
    typeof body !== 'object' ||
    body === null ||
    !Array.isArray(body.messages) ||
    body.messages.length === 0
  ) {
    return sendError(
      res,
      400,
      "'messages' is a required property and must be a non-empty array.",
      'invalid_request_error',
      'missing_required_parameter',
    );
  }
  const limit = Number(body.max_completion_tokens ?? body.max_tokens ?? Infinity);
  const pieces = REPLY_PIECES.slice(0, Number.isFinite(limit) && limit > 0 ? limit : REPLY_PIECES.length);
  const finishReason = pieces.length < REPLY_PIECES.length ? 'length' : 'stop';
  const usage = usageOf(promptTokens(body.messages), pieces.length);
  const id = `chatcmpl-demo${randomBytes(12).toString('hex')}`;
  const created = Math.floor(Date.now() / 1000);
  const model = typeof body.model === 'string' ? body.model : DEMO_UPSTREAM_MODEL;
  const common = { id, created, model, system_fingerprint: 'fp_switchyard_demo' };

  if (body.stream !== true) {
    return sendJson(res, 200, {
      ...common,
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: pieces.join('').trimEnd(), refusal: null },
          logprobs: null,
          finish_reason: finishReason,
        },
      ],
      usage,
      service_tier: 'default',
    });
  }

  // Like OpenAI: with include_usage every chunk carries `usage: null` and one last chunk with no
  // choices carries the totals.
  const includeUsage = body.stream_options?.include_usage === true;
  const chunk = (choices, extra = {}) =>
    `data: ${JSON.stringify({ ...common, object: 'chat.completion.chunk', choices, ...(includeUsage ? { usage: null } : {}), ...extra })}\n\n`;
  const delta = (d, finish = null) => [{ index: 0, delta: d, logprobs: null, finish_reason: finish }];
  let clientGone = false;
  res.on('close', () => {
    clientGone = !res.writableFinished;
  });
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.write(chunk(delta({ role: 'assistant', content: '', refusal: null })));
  for (const [i, piece] of pieces.entries()) {
    await sleep(CHUNK_DELAY_MS);
    if (clientGone) return;
    res.write(chunk(delta({ content: i === pieces.length - 1 ? piece.trimEnd() : piece })));
  }
  res.write(chunk(delta({}, finishReason)));
  if (includeUsage) res.write(chunk([], { usage }));
  res.end('data: [DONE]\n\n');
}

function listModels(res) {
  sendJson(res, 200, {
    object: 'list',
    data: [{ id: DEMO_UPSTREAM_MODEL, object: 'model', created: 1_764_403_200, owned_by: 'switchyard-demo' }],
  });
}

/**
 * Starts the demo upstream. `apiKey`, when given, is required as `Authorization: Bearer`.
 * @param {{ port?: number, host?: string, apiKey?: string }} [options]
 * @returns {Promise<{ baseUrl: string, port: number, close: () => Promise<void> }>}
 */
export function startDemoUpstream({ port = 0, host = '127.0.0.1', apiKey } = {}) {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '');
    if (apiKey !== undefined && req.headers.authorization !== `Bearer ${apiKey}`) {
      return sendError(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      return chatCompletion(req, res).catch((error) => {
        // Bad input or a dropped client must never take the demo down; answer if still possible.
        if (!res.headersSent) sendError(res, 500, `demo upstream failed: ${error.message}`, 'server_error');
        else res.destroy();
      });
    }
    if (req.method === 'GET' && path === '/v1/models') return listModels(res);
    return sendError(
      res,
      404,
      `Unknown request URL: ${req.method} ${path}.`,
      'invalid_request_error',
      'unknown_url',
    );
  });
  // Keep-alive connections from the gateway's pool must not hold close() open forever.
  const close = () =>
    new Promise((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve({ baseUrl: `http://${shownHost}:${bound}/v1`, port: bound, close });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
  };
  const { baseUrl, close } = await startDemoUpstream({
    port: Number(option('--port', '0')),
    host: option('--host', '127.0.0.1'),
    apiKey: option('--api-key', undefined),
  });
  process.stdout.write(`listening ${baseUrl}\n`);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () =>
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      ),
    );
  }
}
