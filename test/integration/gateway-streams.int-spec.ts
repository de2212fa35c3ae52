import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { reply, Reply } from '../fakes/fake-upstream';
import { fixtureBytes } from '../fakes/fixtures';
import { callThrough, ClientName, Clients, sdkClients } from '../fakes/sdk-clients';
import { registerUpstreams, stopUpstreams, UpstreamName, Upstreams } from '../fakes/upstream-kinds';
import { TestSystem } from '../support/system';

interface UsageRow {
  input_tokens: number;
  output_tokens: number;
  usage_estimated: boolean;
  outcome: string;
  status: number;
  error_code: string | null;
}

/**
 * Streams through the gateway under stress: upstream bytes cut at awkward places (every byte:
 * mid-line, mid-UTF-8 character, mid-JSON), clients that leave mid-stream, upstreams that break
 * or send garbage. Each must end in a clean, protocol-correct answer and exactly one usage event.
 */
describe('gateway streams: awkward splits, disconnects and malformed upstream output', () => {
  let system: TestSystem;
  let upstreams: Upstreams;
  let clients: Clients;
  let key: string;
  let counter = 0;

  beforeAll(async () => {
    system = await TestSystem.start();
    upstreams = await registerUpstreams(system, ['openai', 'anthropic', 'gemini']);
    ({ key } = await system.adminClient.tenantWithKey());
    clients = sdkClients(system.gatewayUrl, key);
  });

  afterAll(async () => {
    await system?.stop();
    await stopUpstreams(upstreams);
  });

  const nextId = (label: string): string => `streams-${++counter}-${label}`;

  const rowsFor = (requestId: string): Promise<UsageRow[]> =>
    system.eventually(async () => {
      const rows = await system.db.query<UsageRow>('SELECT * FROM usage_events WHERE request_id = $1', [
        requestId,
      ]);
      return rows.length > 0 ? rows : null;
    });

  describe('the same client-visible result however the upstream bytes are cut', () => {
    const cases: Array<[string, UpstreamName, string, ClientName]> = [];
    const recordings: Array<[UpstreamName, string]> = [
      ['openai', 'openai-chat-stream-text-2026.sse'], // multi-byte UTF-8 text
      ['anthropic', 'anthropic-messages-stream-thinking.sse'], // thinking + multi-byte UTF-8
      ['anthropic', 'anthropic-messages-stream-tools.sse'], // tool arguments in fragments
      ['gemini', 'gemini-stream-tool-call.sse'],
      ['gemini', 'gemini-stream-text.sse'],
    ];
    for (const [upstream, file] of recordings) {
      for (const client of ['chat', 'messages', 'responses'] as const) {
        // Responses clients reach an OpenAI upstream over Responses: a chat recording does not apply.
        if (upstream === 'openai' && client === 'responses') continue;
        cases.push([`${file} -> ${client}`, upstream, file, client]);
      }
    }

    it.each(cases)('%s', async (_label, upstreamName, file, client) => {
      const upstream = upstreams[upstreamName];
      upstream.fake.serve(reply.sse(file));
      const whole = await callThrough(clients, client, upstream.model, true, nextId('whole'));
      for (const chunkSizes of [[1], [2, 3, 5, 7, 11, 13]]) {
        upstream.fake.serve(reply.sse(file, { chunkSizes }));
        const requestId = nextId('split');
        expect(await callThrough(clients, client, upstream.model, true, requestId)).toEqual(whole);
        const [row] = await rowsFor(requestId);
        expect(row).toMatchObject({ outcome: 'success', usage_estimated: false });
      }
      expect(whole.text.length + whole.tools.length).toBeGreaterThan(0);
    });
  });

  describe('a client that disconnects mid-stream is metered once, with what was delivered', () => {
    const cases: Array<[string, UpstreamName, ClientName, string]> = [
      ['messages -> gemini (translated)', 'gemini', 'messages', 'gemini-stream-text.sse'],
      ['chat -> anthropic (translated)', 'anthropic', 'chat', 'anthropic-messages-stream-thinking.sse'],
      [
        'responses -> anthropic (translated)',
        'anthropic',
        'responses',
        'anthropic-messages-stream-thinking.sse',
      ],
      [
        'messages -> anthropic (pass-through)',
        'anthropic',
        'messages',
        'anthropic-messages-stream-thinking.sse',
      ],
      ['chat -> openai (pass-through)', 'openai', 'chat', 'openai-chat-stream-text-2026.sse'],
    ];

    it.each(cases)('%s', async (_label, upstreamName, client, file) => {
      const upstream = upstreams[upstreamName];
      upstream.fake.serve(reply.sse(file, { chunkSizes: [300], delayMs: 40 }));
      const requestId = nextId('abort');
      const controller = new AbortController();
      const response = await fetch(`${system.gatewayUrl}${PATHS[client]}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'x-request-id': requestId,
        },
        body: JSON.stringify(streamBody(client, upstream.model)),
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      await reader.read();
      controller.abort();

      const rows = await rowsFor(requestId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        outcome: 'client_abort',
        status: 200,
        error_code: 'client.disconnected',
        usage_estimated: true,
      });
      expect(rows[0].input_tokens).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(
        await system.db.query('SELECT 1 FROM usage_events WHERE request_id = $1', [requestId]),
      ).toHaveLength(1);
    });

    it('keeps the exact input count from message_start when an Anthropic stream is cut short by the client', async () => {
      const upstream = upstreams.anthropic;
      upstream.fake.serve(
        reply.sse('anthropic-messages-stream-tools.sse', { chunkSizes: [500], delayMs: 60 }),
      );
      const requestId = nextId('abort-exact');
      const controller = new AbortController();
      const response = await fetch(`${system.gatewayUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'x-request-id': requestId,
        },
        body: JSON.stringify(streamBody('chat', upstream.model)),
        signal: controller.signal,
      });
      await response.body!.getReader().read();
      controller.abort();
      const [row] = await rowsFor(requestId);
      expect(row).toMatchObject({ outcome: 'client_abort', input_tokens: 377, usage_estimated: true });
    });
  });

  describe('malformed upstream output gives a clean error in the client protocol, no crash', () => {
    const truncated = (file: string): Reply =>
      reply.raw(200, 'application/json', fixtureBytes(file).toString('utf8').slice(0, 120));
    const html = reply.raw(200, 'text/html', '<html><body><h1>502 Bad Gateway</h1></body></html>');

    it.each([
      ['chat', 'anthropic', 'truncated JSON'],
      ['messages', 'gemini', 'truncated JSON'],
      ['responses', 'anthropic', 'truncated JSON'],
      ['messages', 'anthropic', 'truncated JSON'],
      ['chat', 'openai', 'an HTML page'],
      ['messages', 'openai', 'an HTML page'],
      ['responses', 'gemini', 'an HTML page'],
    ] as const)(
      '%s client, %s upstream answering %s with status 200 (non-stream): 502',
      async (client, upstreamName, what) => {
        const upstream = upstreams[upstreamName];
        const file = {
          openai: 'openai-chat-text.json',
          anthropic: 'anthropic-messages-text.json',
          gemini: 'gemini-text.json',
        }[upstreamName];
        upstream.fake.serve(what === 'an HTML page' ? html : truncated(file));
        const requestId = nextId('malformed');
        const error = await callThrough(clients, client, upstream.model, false, requestId).catch(
          (thrown: unknown) => thrown,
        );
        expectClientError(client, error, 502);
        const [row] = await rowsFor(requestId);
        expect(row).toMatchObject({ outcome: 'upstream_error', status: 502 });
      },
    );

    it.each([
      ['chat', 'anthropic'],
      ['messages', 'gemini'],
      ['responses', 'gemini'],
      ['messages', 'anthropic'],
    ] as const)(
      '%s client, %s upstream sending an HTML page to a stream request: 502 before any byte',
      async (client, upstreamName) => {
        upstreams[upstreamName].fake.serve(html);
        const error = await callThrough(
          clients,
          client,
          upstreams[upstreamName].model,
          true,
          nextId('html-stream'),
        ).catch((thrown: unknown) => thrown);
        expectClientError(client, error, 502);
      },
    );

    it.each([
      ['chat', 'anthropic', 'anthropic-messages-stream-tools.sse'],
      ['messages', 'gemini', 'gemini-stream-text.sse'],
      ['responses', 'anthropic', 'anthropic-messages-stream-tools.sse'],
      ['messages', 'anthropic', 'anthropic-messages-stream-tools.sse'],
    ] as const)(
      '%s client, %s upstream cut mid-JSON after content: an error event, metered as delivered',
      async (client, upstreamName, file) => {
        const upstream = upstreams[upstreamName];
        const bytes = fixtureBytes(file);
        // Cut inside the JSON of an event in the second half, after content went out.
        const cut = bytes.indexOf('{', Math.floor(bytes.length * 0.6)) + 10;
        upstream.fake.serve(reply.sse(file, { chunkSizes: [64], breakAfterBytes: cut }));
        const requestId = nextId('cut');
        const error = await callThrough(clients, client, upstream.model, true, requestId).catch(
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(Error);
        const [row] = await rowsFor(requestId);
        expect(row).toMatchObject({ outcome: 'upstream_error', status: 200, usage_estimated: true });
        expect(row.output_tokens).toBeGreaterThan(0);
      },
    );

    it('ignores unknown event types in a stream, translated and passed through', async () => {
      const upstream = upstreams.anthropic;
      const original = fixtureBytes('anthropic-messages-stream-tools.sse').toString('utf8');
      const mystery = 'event: mystery_event\ndata: {"type":"mystery_event","payload":{"x":1}}\n\n';
      const body = Buffer.from(
        original.replace('event: content_block_start', `${mystery}event: content_block_start`),
      );
      upstream.fake.serve(reply.sse('anthropic-messages-stream-tools.sse'));
      const clean = await callThrough(clients, 'chat', upstream.model, true, nextId('mystery-ref'));
      for (const client of ['chat', 'messages'] as const) {
        upstream.fake.serve({ kind: 'sse', body, chunkSizes: [17] });
        const seen = await callThrough(clients, client, upstream.model, true, nextId('mystery'));
        expect(seen.tools).toEqual(clean.tools);
        expect(seen.text).toBe(clean.text);
      }
    });
  });
});

const PATHS: Record<ClientName, string> = {
  chat: '/v1/chat/completions',
  responses: '/v1/responses',
  messages: '/v1/messages',
};

function streamBody(client: ClientName, model: string): Record<string, unknown> {
  switch (client) {
    case 'chat':
      return { model, stream: true, messages: [{ role: 'user', content: 'hi' }] };
    case 'responses':
      return { model, stream: true, input: 'hi' };
    case 'messages':
      return { model, stream: true, max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }] };
  }
}

/** The SDK raised its own error class with the status and the protocol's error shape. */
function expectClientError(client: ClientName, error: unknown, status: number): void {
  if (client === 'messages') {
    expect(error).toBeInstanceOf(Anthropic.APIError);
    if (error instanceof Anthropic.APIError) {
      expect(error.status).toBe(status);
      expect(error.error).toMatchObject({ type: 'error', error: { type: 'api_error' } });
      expect(error.requestID).toBeTruthy();
    }
    return;
  }
  expect(error).toBeInstanceOf(OpenAI.APIError);
  if (error instanceof OpenAI.APIError) {
    expect(error.status).toBe(status);
    expect(error.type).toBe('server_error');
  }
}
