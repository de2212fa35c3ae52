import OpenAI, { APIError } from 'openai';
import { createServer, Server } from 'node:net';
import { FakeUpstream, reply } from '../fakes/fake-upstream';
import { TestSystem } from '../support/system';

interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** A TCP port nothing listens on: connect fails fast with ECONNREFUSED. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('gateway errors: right status, OpenAI error shape, nothing lost', () => {
  let system: TestSystem;
  let upstream: FakeUpstream;
  let key: string;
  let keyId: string;
  let tenantId: string;

  beforeAll(async () => {
    system = await TestSystem.start({ env: { GATEWAY_MAX_BODY_BYTES: '4096', UPSTREAM_TIMEOUT_MS: '500' } });
    upstream = await FakeUpstream.start();
    await system.adminClient.providerAndModel({ baseUrl: upstream.v1, model: 'gpt-4o' });
    await system.adminClient.providerAndModel({
      baseUrl: `http://127.0.0.1:${await closedPort()}/v1`,
      model: 'unreachable-model',
    });
    ({ key, keyId, tenantId } = await system.adminClient.tenantWithKey());
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.stop();
  });

  async function call(
    body: string,
    headers: Record<string, string> = {},
    path = '/v1/chat/completions',
    method = 'POST',
  ): Promise<{ status: number; body: ErrorBody; headers: Headers }> {
    const response = await fetch(`${system.gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: method === 'GET' ? undefined : body,
    });
    return { status: response.status, body: (await response.json()) as ErrorBody, headers: response.headers };
  }

  const hello = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });

  function expectOpenAiError(body: ErrorBody, type: string, code: string | null): void {
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(body.error.type).toBe(type);
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(5);
  }

  it('401 for a missing key, a wrong key, and through the SDK as AuthenticationError', async () => {
    const missing = await call(hello, { authorization: '' });
    expect(missing.status).toBe(401);
    expectOpenAiError(missing.body, 'invalid_request_error', 'invalid_api_key');

    const wrong = await call(hello, { authorization: 'Bearer sk-sy-not-a-real-key' });
    expect(wrong.status).toBe(401);
    expectOpenAiError(wrong.body, 'invalid_request_error', 'invalid_api_key');

    const sdk = new OpenAI({ apiKey: 'sk-sy-wrong', baseURL: `${system.gatewayUrl}/v1`, maxRetries: 0 });
    await expect(
      sdk.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('accepts the key in x-api-key too', async () => {
    upstream.serve(reply.fixture('openai-chat-text.json'));
    const response = await fetch(`${system.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: hello,
    });
    expect(response.status).toBe(200);
  });

  it('400 for malformed JSON and for a body without a model', async () => {
    const malformed = await call('{"model": "gpt-4o", "messages": [');
    expect(malformed.status).toBe(400);
    expectOpenAiError(malformed.body, 'invalid_request_error', 'invalid_json');

    const noModel = await call('{"messages": []}');
    expect(noModel.status).toBe(400);
    expect(noModel.body.error.param).toBe('model');

    const notObject = await call('[1,2,3]');
    expect(notObject.status).toBe(400);
  });

  it('413 for a body over GATEWAY_MAX_BODY_BYTES, declared or chunked', async () => {
    const big = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(5000) }] });
    const declared = await call(big);
    expect(declared.status).toBe(413);
    expectOpenAiError(declared.body, 'invalid_request_error', 'request_too_large');

    const chunked = await fetch(`${system.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller): void {
          for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1000)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('404 model_not_found for an unknown model, and for an unknown route', async () => {
    const unknown = await call(JSON.stringify({ model: 'gpt-9-ultra', messages: [] }));
    expect(unknown.status).toBe(404);
    expectOpenAiError(unknown.body, 'invalid_request_error', 'model_not_found');

    const sdk = new OpenAI({ apiKey: key, baseURL: `${system.gatewayUrl}/v1`, maxRetries: 0 });
    await expect(
      sdk.chat.completions.create({ model: 'gpt-9-ultra', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError);

    const route = await call('{}', {}, '/v1/nope');
    expect(route.status).toBe(404);
  });

  it('502 in the OpenAI shape for an upstream 500, with the failure metered', async () => {
    upstream.serve(reply.json({ error: { message: 'boom', type: 'server_error' } }, 500));
    const response = await call(hello, { 'x-request-id': 'upstream-500-check' });
    expect(response.status).toBe(502);
    expectOpenAiError(response.body, 'server_error', 'upstream_error');
    expect(response.headers.get('x-request-id')).toBe('upstream-500-check');
    const row = await system.eventually(
      async () =>
        (
          await system.db.query<{ outcome: string; status: number; error_code: string }>(
            'SELECT outcome, status, error_code FROM usage_events WHERE request_id = $1',
            ['upstream-500-check'],
          )
        )[0],
    );
    expect(row).toEqual({ outcome: 'upstream_error', status: 502, error_code: 'upstream.error' });
  });

  it('502 for an HTML page served with 200, and for a connection cut before any answer', async () => {
    upstream.serve(reply.raw(200, 'text/html', '<html><body>Bad gateway</body></html>'));
    const html = await call(hello);
    expect(html.status).toBe(502);
    expectOpenAiError(html.body, 'server_error', 'upstream_error');

    upstream.serve(reply.destroy());
    const cut = await call(hello);
    expect(cut.status).toBe(502);
  });

  it('502 when the upstream cannot be reached at all', async () => {
    const response = await call(
      JSON.stringify({ model: 'unreachable-model', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(response.status).toBe(502);
    expectOpenAiError(response.body, 'server_error', 'upstream_error');
  });

  it('504 when the upstream does not answer within UPSTREAM_TIMEOUT_MS', async () => {
    upstream.serve(reply.hang());
    const started = Date.now();
    const response = await call(hello);
    expect(response.status).toBe(504);
    expectOpenAiError(response.body, 'server_error', 'upstream_error');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('passes an upstream 400 on with its own message, and keeps 429 retry hints', async () => {
    upstream.serve(reply.fixture('openai-error-400-unsupported-parameter.json', 400));
    const bad = await call(hello);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("Unsupported parameter: 'max_tokens'");

    upstream.serve(
      reply.json({ error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' } }, 429, {
        'retry-after': '7',
      }),
    );
    const limited = await call(hello);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
  });

  it('ends a stream cut mid-way with an error chunk the SDK raises, and meters what was delivered', async () => {
    upstream.serve(
      reply.sse('openai-chat-stream-text-usage.sse', { chunkSizes: [200], breakAfterBytes: 1200 }),
    );
    const sdk = new OpenAI({ apiKey: key, baseURL: `${system.gatewayUrl}/v1`, maxRetries: 0 });
    const stream = await sdk.chat.completions.create(
      { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true },
      { headers: { 'x-request-id': 'stream-cut-check' } },
    );
    const received: string[] = [];
    await expect(
      (async (): Promise<void> => {
        for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toBeInstanceOf(APIError);
    expect(received.length).toBeGreaterThan(0);
    const row = await system.eventually(
      async () =>
        (
          await system.db.query<{ outcome: string; usage_estimated: boolean; output_tokens: number }>(
            'SELECT outcome, usage_estimated, output_tokens FROM usage_events WHERE request_id = $1',
            ['stream-cut-check'],
          )
        )[0],
    );
    expect(row.outcome).toBe('upstream_error');
    expect(row.usage_estimated).toBe(true);
    expect(row.output_tokens).toBeGreaterThan(0);
  });

  it('meters a client that disconnects mid-stream, once', async () => {
    upstream.serve(reply.sse('openai-chat-stream-text-2026.sse', { chunkSizes: [400], delayMs: 30 }));
    const controller = new AbortController();
    const response = await fetch(`${system.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'x-request-id': 'client-abort-check',
      },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    const row = await system.eventually(
      async () =>
        (
          await system.db.query<{ outcome: string; status: number }>(
            'SELECT outcome, status FROM usage_events WHERE request_id = $1',
            ['client-abort-check'],
          )
        )[0],
    );
    expect(row).toEqual({ outcome: 'client_abort', status: 200 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      await system.db.query('SELECT 1 FROM usage_events WHERE request_id = $1', ['client-abort-check']),
    ).toHaveLength(1);
  });

  it('refuses a revoked key within a second, on this gateway and on another replica', async () => {
    const fresh = await system.adminClient.post<{ id: string; key: string }>(
      `/admin/v1/tenants/${tenantId}/keys`,
      { name: 'to revoke' },
    );
    const replicaUrl = await system.startGatewayReplica();
    upstream.serve(reply.fixture('openai-chat-text.json'));
    for (const base of [system.gatewayUrl, replicaUrl]) {
      const ok = await fetch(`${base}/v1/models`, { headers: { authorization: `Bearer ${fresh.body.key}` } });
      expect(ok.status).toBe(200); // now cached on both
    }
    const revoked = await system.adminClient.delete(`/admin/v1/keys/${fresh.body.id}`);
    expect(revoked.status).toBe(200);
    const revokedAt = Date.now();
    for (const base of [system.gatewayUrl, replicaUrl]) {
      await system.eventually(async () => {
        const response = await fetch(`${base}/v1/models`, {
          headers: { authorization: `Bearer ${fresh.body.key}` },
        });
        return response.status === 401;
      }, 1_000);
    }
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
    expect(keyId).not.toBe(fresh.body.id);
  });
});
