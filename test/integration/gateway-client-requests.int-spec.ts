import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reply, Reply } from '../fakes/fake-upstream';
import {
  registerUpstreams,
  stopUpstreams,
  UpstreamName,
  UPSTREAM_NAMES,
  Upstreams,
} from '../fakes/upstream-kinds';
import { TestSystem } from '../support/system';

/**
 * The requests real clients send (Claude Code, Codex, openai-node, the AI SDK; captured in
 * test/fixtures/protocols/requests, see client-requests.md), replayed byte for byte through the
 * gateway to every upstream kind. What reaches the fake upstream keeps the fields a pass-through
 * must keep (betas, version, query, cache_control, encrypted reasoning: the whole body but
 * `model`) or carries them translated (every tool, the system prompt, every tool result by id),
 * and the client gets a complete stream in its own protocol.
 */

type Json = Record<string, unknown>;

interface RequestFixture {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Json;
}

const DIR = join(__dirname, '..', 'fixtures', 'protocols', 'requests');
const FILES = readdirSync(DIR).filter(
  (file) => file.endsWith('.json') && file !== 'SOURCES.json' && file !== 'claude-code-count-tokens.json',
);

function load(file: string): RequestFixture {
  return JSON.parse(readFileSync(join(DIR, file), 'utf8')) as RequestFixture;
}

type Inbound = 'chat' | 'responses' | 'messages';

function inboundOf(path: string): Inbound {
  if (path.startsWith('/v1/messages')) return 'messages';
  if (path.startsWith('/v1/responses')) return 'responses';
  return 'chat';
}

/** The wire the gateway speaks to an upstream for a client protocol (docs/providers.md). */
function wireOf(inbound: Inbound, upstream: UpstreamName): Inbound | 'gemini' {
  if (upstream === 'anthropic') return 'messages';
  if (upstream === 'gemini') return 'gemini';
  if (upstream === 'openai' && inbound === 'responses') return 'responses';
  return 'chat';
}

const STREAMS: Record<Inbound | 'gemini', string> = {
  chat: 'openai-chat-stream-tools.sse',
  responses: 'responses-stream-function-call.sse',
  messages: 'anthropic-messages-stream-tools.sse',
  gemini: 'gemini-stream-tool-call.sse',
};

const END_MARKERS: Record<Inbound, string> = {
  chat: 'data: [DONE]',
  responses: 'event: response.completed',
  messages: 'event: message_stop',
};

const list = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter((item): item is Json => typeof item === 'object' && item !== null) : [];

/** Tools the client declared that any upstream can run (hosted ones are OpenAI's own). */
function declaredTools(inbound: Inbound, body: Json): number {
  if (inbound === 'responses') {
    const all = [
      ...list(body.tools),
      ...list(body.input)
        .filter((item) => item.type === 'additional_tools')
        .flatMap((item) => list(item.tools)),
    ];
    return all.reduce(
      (n, tool) =>
        n + (tool.type === 'namespace' ? list(tool.tools).length : tool.type === 'web_search' ? 0 : 1),
      0,
    );
  }
  return list(body.tools).length;
}

function upstreamTools(wire: Inbound | 'gemini', body: Json): number {
  if (wire === 'gemini')
    return list(body.tools).reduce((n, group) => n + list(group.functionDeclarations).length, 0);
  if (wire === 'responses')
    return list(body.tools).reduce(
      (n, tool) => n + (tool.type === 'namespace' ? list(tool.tools).length : 1),
      0,
    );
  return list(body.tools).length;
}

/** Ids of the tool results in the client's conversation. */
function toolResultIds(inbound: Inbound, body: Json): string[] {
  switch (inbound) {
    case 'messages':
      return list(body.messages).flatMap((message) =>
        list(message.content)
          .filter((block) => block.type === 'tool_result')
          .map((block) => String(block.tool_use_id)),
      );
    case 'chat':
      return list(body.messages)
        .filter((message) => message.role === 'tool')
        .map((message) => String(message.tool_call_id));
    case 'responses':
      return list(body.input)
        .filter((item) => item.type === 'function_call_output' || item.type === 'custom_tool_call_output')
        .map((item) => String(item.call_id));
  }
}

/** A distinctive piece of the system prompt, wherever the client put it. */
function systemSnippet(inbound: Inbound, body: Json): string | null {
  const texts: string[] = [];
  const collect = (content: unknown): void => {
    if (typeof content === 'string') texts.push(content);
    for (const part of list(content)) if (typeof part.text === 'string') texts.push(part.text);
  };
  if (inbound === 'messages') collect(body.system);
  if (inbound === 'chat')
    for (const message of list(body.messages))
      if (message.role === 'system' || message.role === 'developer') collect(message.content);
  if (inbound === 'responses') {
    if (typeof body.instructions === 'string') texts.push(body.instructions);
    for (const item of list(body.input))
      if (item.role === 'system' || item.role === 'developer') collect(item.content);
  }
  const longest = texts.sort((a, b) => b.length - a.length)[0];
  return longest && longest.length >= 20 ? longest.slice(0, 60) : null;
}

describe('captured client requests replayed through the gateway to every upstream kind', () => {
  let system: TestSystem;
  let upstreams: Upstreams;
  let key: string;
  let counter = 0;

  beforeAll(async () => {
    system = await TestSystem.start();
    // Codex declares OpenAI's hosted web_search, which no other upstream runs: the operator allows dropping it.
    upstreams = await registerUpstreams(system, UPSTREAM_NAMES, { droppableParams: ['tools.web_search'] });
    ({ key } = await system.adminClient.tenantWithKey());
  });

  afterAll(async () => {
    await system?.stop();
    await stopUpstreams(upstreams);
  });

  /** The fixture's headers with the credential swapped for the tenant's key, in the same scheme. */
  function headersFor(fixture: RequestFixture, requestId: string): Record<string, string> {
    const headers: Record<string, string> = { 'x-request-id': requestId };
    let bearer = false;
    for (const [name, value] of Object.entries(fixture.headers)) {
      const lower = name.toLowerCase();
      if (lower === 'authorization') bearer = true;
      else if (lower !== 'x-api-key' && lower !== 'content-length' && lower !== 'host')
        headers[lower] = value;
    }
    if (bearer) headers.authorization = `Bearer ${key}`;
    else headers['x-api-key'] = key;
    return headers;
  }

  const cells: Array<[string, string, UpstreamName]> = [];
  for (const file of FILES)
    for (const upstream of UPSTREAM_NAMES) cells.push([`${file} -> ${upstream}`, file, upstream]);

  it.each(cells)('%s', async (_label, file, upstreamName) => {
    const fixture = load(file);
    const upstream = upstreams[upstreamName];
    const inbound = inboundOf(fixture.path);
    const wire = wireOf(inbound, upstreamName);
    const streamReply: Reply =
      upstreamName === 'deepseek'
        ? reply.sse('deepseek-stream-tool-call.sse')
        : upstreamName === 'xai'
          ? reply.sse('xai-stream-tool-call.sse')
          : reply.sse(STREAMS[wire]);
    upstream.fake.serve(streamReply);
    const requestId = `replay-${++counter}`;
    const body: Json = { ...fixture.body, model: upstream.model };

    const response = await fetch(`${system.gatewayUrl}${fixture.path}`, {
      method: 'POST',
      headers: headersFor(fixture, requestId),
      body: JSON.stringify(body),
    });
    const answer = await response.text();
    expect(response.status).toBe(200);
    expect(answer).toContain(END_MARKERS[inbound]);
    expect(answer).not.toMatch(/^event: error|"type":"error"|^data: \{"error"/m);

    const sent = upstream.fake.last();
    const sentBody = JSON.parse(sent.body) as Json;
    const auth = sent.headers['x-api-key'] ?? sent.headers['x-goog-api-key'] ?? sent.headers.authorization;
    expect(auth).toContain(`secret-${upstreamName}-upstream-key`);
    expect(JSON.stringify(sent.headers)).not.toContain(key);

    if (wire === inbound) {
      // Pass-through: the client's body as sent, but for the upstream's model id (and Chat's usage opt-in).
      const expected: Json = { ...body, model: upstream.upstreamModel };
      if (inbound === 'chat' && !(typeof body.stream_options === 'object' && body.stream_options !== null))
        expected.stream_options = { include_usage: true };
      expect(sentBody).toEqual(expected);
      if (inbound === 'messages') {
        expect(sent.path).toBe(fixture.path); // the query (?beta=true) is kept
        for (const header of ['anthropic-beta', 'anthropic-version']) {
          const original = Object.entries(fixture.headers).find(
            ([name]) => name.toLowerCase() === header,
          )?.[1];
          expect(sent.headers[header]).toBe(original);
        }
      }
    } else {
      expect(upstreamTools(wire, sentBody)).toBe(declaredTools(inbound, fixture.body));
      const snippet = systemSnippet(inbound, fixture.body);
      if (snippet) expect(sent.body).toContain(JSON.stringify(snippet).slice(1, -1));
      const resultIds = toolResultIds(inbound, fixture.body);
      if (wire === 'gemini') {
        const responses = list(sentBody.contents).flatMap((content) =>
          list(content.parts).filter((part) => part.functionResponse !== undefined),
        );
        expect(responses).toHaveLength(resultIds.length);
      } else {
        for (const id of resultIds) expect(sent.body).toContain(id.replace(/[^a-zA-Z0-9_-]/g, '_'));
      }
      expect(sent.headers['anthropic-beta']).toBeUndefined();
    }

    const rows = await system.eventually(async () => {
      const found = await system.db.query<{ outcome: string; usage_estimated: boolean }>(
        'SELECT outcome, usage_estimated FROM usage_events WHERE request_id = $1',
        [requestId],
      );
      return found.length > 0 ? found : null;
    });
    expect(rows).toEqual([{ outcome: 'success', usage_estimated: false }]);
  });

  describe('count_tokens as Claude Code sends it', () => {
    const fixture = load('claude-code-count-tokens.json');

    it('is passed through to an Anthropic upstream with its betas and query', async () => {
      upstreams.anthropic.fake.serve(reply.json({ input_tokens: 4242 }));
      const response = await fetch(`${system.gatewayUrl}${fixture.path}`, {
        method: 'POST',
        headers: headersFor(fixture, 'count-anthropic'),
        body: JSON.stringify({ ...fixture.body, model: upstreams.anthropic.model }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ input_tokens: 4242 });
      const sent = upstreams.anthropic.fake.last();
      expect(sent.path).toBe('/v1/messages/count_tokens?beta=true');
      expect(sent.headers['anthropic-beta']).toBe(fixture.headers['anthropic-beta']);
      expect(JSON.parse(sent.body)).toEqual({ ...fixture.body, model: upstreams.anthropic.upstreamModel });
    });

    it.each(['openai', 'gemini', 'deepseek'] as const)(
      'is answered by the gateway for a %s upstream, counting tools and system too',
      async (name) => {
        const before = upstreams[name].fake.requests.length;
        const count = async (body: Json): Promise<number> => {
          const response = await fetch(`${system.gatewayUrl}${fixture.path}`, {
            method: 'POST',
            headers: headersFor(fixture, `count-${name}-${++counter}`),
            body: JSON.stringify(body),
          });
          expect(response.status).toBe(200);
          expect(response.headers.get('x-switchyard-estimated')).toBe('true');
          return ((await response.json()) as { input_tokens: number }).input_tokens;
        };
        const full = await count({ ...fixture.body, model: upstreams[name].model });
        const messagesOnly = await count({ model: upstreams[name].model, messages: fixture.body.messages });
        expect(messagesOnly).toBeGreaterThan(0);
        expect(full).toBeGreaterThan(messagesOnly * 5); // Claude Code's counts are mostly tool definitions
        expect(upstreams[name].fake.requests.length).toBe(before); // never forwarded to an upstream without the endpoint
      },
    );

    it('falls back to the estimate when the Anthropic upstream is overloaded', async () => {
      upstreams.anthropic.fake.serve(reply.fixture('anthropic-error-529-overloaded.json', 529));
      const response = await fetch(`${system.gatewayUrl}${fixture.path}`, {
        method: 'POST',
        headers: headersFor(fixture, 'count-overloaded'),
        body: JSON.stringify({ ...fixture.body, model: upstreams.anthropic.model }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(100);
    });
  });
});
