import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { reply } from '../fakes/fake-upstream';
import { callThrough, Clients, sdkClients } from '../fakes/sdk-clients';
import { PRICES, registerUpstreams, stopUpstreams, Upstreams } from '../fakes/upstream-kinds';
import { TestSystem } from '../support/system';

interface AnthropicErrorBody {
  type: string;
  error: { type: string; message: string };
  request_id: string;
}

/**
 * Errors across protocols: every upstream failure reaches the client in the client's own shape
 * and status (Anthropic's 529 becomes an OpenAI 503 and keeps its retry hint), the gateway's own
 * errors speak Anthropic on /v1/messages, failures before the first byte fail over, and a
 * parameter an upstream cannot honour is a 400 unless the operator made it droppable.
 */
describe('errors and refusals in the client protocol', () => {
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
    // Anthropic first, Gemini as the fallback.
    const failover = await system.adminClient.post('/admin/v1/models', {
      name: 'claude-with-fallback',
      deployments: [
        { provider_id: upstreams.anthropic.providerId, upstream_model: 'claude-sonnet-4-5', priority: 0 },
        { provider_id: upstreams.gemini.providerId, upstream_model: 'gemini-2.5-flash', priority: 1 },
      ],
      prices: PRICES,
    });
    expect(failover.status).toBe(201);
  });

  afterAll(async () => {
    await system?.stop();
    await stopUpstreams(upstreams);
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${system.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const hello = (model: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    model,
    max_tokens: 64,
    messages: [{ role: 'user', content: 'hi' }],
    ...extra,
  });

  const requestId = (label: string): string => `errors-${++counter}-${label}`;

  it('turns Anthropic 529 overloaded into an OpenAI-shaped 503 with retry-after kept', async () => {
    upstreams.anthropic.fake.serve(
      reply.fixture('anthropic-error-529-overloaded.json', 529, { 'retry-after': '7' }),
    );
    const response = await post('/v1/chat/completions', hello('m-anthropic'), {
      'x-request-id': 'overloaded-for-chat',
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: 'server_error', code: 'upstream_overloaded' });
    expect(String(body.error.message)).toContain('Overloaded');
    const [row] = await system.eventually(async () => {
      const rows = await system.db.query<{ status: number; outcome: string; error_code: string }>(
        'SELECT * FROM usage_events WHERE request_id = $1',
        ['overloaded-for-chat'],
      );
      return rows.length > 0 ? rows : null;
    });
    expect(row).toMatchObject({ status: 503, outcome: 'upstream_error', error_code: 'upstream.unavailable' });

    // The openai SDK sees the retryable status it knows.
    upstreams.anthropic.fake.serve(
      reply.fixture('anthropic-error-529-overloaded.json', 529, { 'retry-after': '7' }),
    );
    const error = await clients.openai.chat.completions
      .create({ model: 'm-anthropic', messages: [{ role: 'user', content: 'hi' }] })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
  });

  it('keeps 529 overloaded_error for an Anthropic client, with request_id and the request-id header', async () => {
    upstreams.anthropic.fake.serve(reply.fixture('anthropic-error-529-overloaded.json', 529));
    const response = await post('/v1/messages', hello('m-anthropic'), {
      'x-request-id': 'overloaded-for-messages',
    });
    expect(response.status).toBe(529);
    expect(response.headers.get('request-id')).toBe('overloaded-for-messages');
    const body = (await response.json()) as AnthropicErrorBody;
    expect(body).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error' },
      request_id: 'overloaded-for-messages',
    });
  });

  it('turns a Gemini 429 with RetryInfo into an Anthropic rate_limit_error with retry-after', async () => {
    upstreams.gemini.fake.serve(reply.fixture('gemini-error-429-retryinfo.json', 429));
    const response = await post('/v1/messages', hello('m-gemini'));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('35');
    const body = (await response.json()) as AnthropicErrorBody;
    expect(body.error.type).toBe('rate_limit_error');
    expect(body.error.message).toContain('exceeded your current quota');

    upstreams.gemini.fake.serve(reply.fixture('gemini-error-429-retryinfo.json', 429));
    const error = await clients.anthropic.messages
      .create({ model: 'm-gemini', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
  });

  it("passes an upstream 400 on with the upstream's message, in the Responses client's shape", async () => {
    upstreams.anthropic.fake.serve(
      reply.json(
        {
          type: 'error',
          error: {
            type: 'invalid_request_error',
            message: 'messages: text content blocks must be non-empty',
          },
        },
        400,
      ),
    );
    const error = await clients.openai.responses
      .create({ model: 'm-anthropic', input: 'hi' })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    if (error instanceof OpenAI.BadRequestError)
      expect(error.message).toContain('text content blocks must be non-empty');
  });

  it('fails over to the next deployment when an Anthropic stream opens with an overloaded error event', async () => {
    upstreams.anthropic.fake.serve(reply.sse('anthropic-messages-stream-error-overloaded.sse'));
    upstreams.gemini.fake.serve(reply.sse('gemini-stream-text.sse'));
    const id = requestId('failover');
    const seen = await callThrough(clients, 'chat', 'claude-with-fallback', true, id);
    expect(seen.text).toContain('strawberry');
    const rows = await system.eventually(async () => {
      const found = await system.db.query<{ provider_id: string; outcome: string }>(
        'SELECT * FROM usage_events WHERE request_id = $1',
        [id],
      );
      return found.length > 0 ? found : null;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider_id: upstreams.gemini.providerId, outcome: 'success' });
  });

  it('fails over on an upstream 529 status too, and answers 503 when no deployment is left', async () => {
    upstreams.anthropic.fake.serve(reply.fixture('anthropic-error-529-overloaded.json', 529));
    upstreams.gemini.fake.serve(reply.fixture('gemini-text.json'));
    const seen = await callThrough(
      clients,
      'messages',
      'claude-with-fallback',
      false,
      requestId('failover-status'),
    );
    expect(seen.text.length).toBeGreaterThan(0);

    upstreams.anthropic.fake.serve(reply.sse('anthropic-messages-stream-error-overloaded.sse'));
    const error = await callThrough(
      clients,
      'chat',
      'm-anthropic',
      true,
      requestId('overloaded-stream'),
    ).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    if (error instanceof OpenAI.APIError) expect(error.status).toBe(503);
  });

  it('speaks Anthropic errors on /v1/messages for the gateway itself: auth, unknown model, wrong method', async () => {
    const missing = await fetch(`${system.gatewayUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(hello('m-anthropic')),
    });
    expect(missing.status).toBe(401);
    const missingBody = (await missing.json()) as AnthropicErrorBody;
    expect(missingBody).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(missingBody.request_id).toBe(missing.headers.get('request-id'));

    const unknown = await post('/v1/messages?beta=true', hello('no-such-model'));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as AnthropicErrorBody).error.type).toBe('not_found_error');

    const wrongMethod = await fetch(`${system.gatewayUrl}/v1/messages`, { headers: { 'x-api-key': key } });
    expect(wrongMethod.status).toBe(405);
    expect(((await wrongMethod.json()) as AnthropicErrorBody).error.type).toBe('invalid_request_error');

    const badJson = await post('/v1/messages', '{"model":');
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as AnthropicErrorBody).error.type).toBe('invalid_request_error');

    const sdk = new Anthropic({ apiKey: 'sk-sy-wrong', baseURL: system.gatewayUrl, maxRetries: 0 });
    await expect(
      sdk.messages.create({
        model: 'm-anthropic',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('accepts Bearer auth and ?beta=true on /v1/messages', async () => {
    upstreams.anthropic.fake.serve(reply.fixture('anthropic-messages-text.json'));
    const response = await fetch(`${system.gatewayUrl}/v1/messages?beta=true`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${key}`,
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify(hello('m-anthropic')),
    });
    expect(response.status).toBe(200);
    expect(upstreams.anthropic.fake.last().path).toBe('/v1/messages?beta=true');
  });

  describe('parameters an upstream cannot honour', () => {
    it('refuses them with a 400 naming the parameter and the upstream kind, in the client shape', async () => {
      const chat = await post('/v1/chat/completions', {
        model: 'm-anthropic',
        n: 2,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(chat.status).toBe(400);
      const chatBody = (await chat.json()) as { error: Record<string, unknown> };
      expect(chatBody.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'unsupported_parameter',
        param: 'n',
      });
      expect(chatBody.error.message).toBe('unsupported parameter n for upstream kind anthropic');

      const messages = await post('/v1/messages', hello('m-gemini', { container: 'cntr_1' }));
      expect(messages.status).toBe(400);
      const messagesBody = (await messages.json()) as AnthropicErrorBody;
      expect(messagesBody.error).toEqual({
        type: 'invalid_request_error',
        message: 'unsupported parameter container for upstream kind gemini',
      });
    });

    it('drops them when the operator lists them in the model droppable_params', async () => {
      const model = await system.adminClient.post<{ droppable_params: string[] }>('/admin/v1/models', {
        name: 'claude-lenient',
        deployments: [{ provider_id: upstreams.anthropic.providerId, upstream_model: 'claude-sonnet-4-5' }],
        prices: PRICES,
        droppable_params: ['n', 'logprobs'],
      });
      expect(model.status).toBe(201);
      expect(model.body.droppable_params).toEqual(['n', 'logprobs']);
      await new Promise((resolve) => setTimeout(resolve, 200)); // catalog invalidation reaches the gateway

      upstreams.anthropic.fake.serve(reply.fixture('anthropic-messages-text.json'));
      const completion = await clients.openai.chat.completions.create({
        model: 'claude-lenient',
        n: 2,
        logprobs: true,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(completion.choices[0].message.content).toContain('Hello');
      const sent = JSON.parse(upstreams.anthropic.fake.last().body) as Record<string, unknown>;
      expect(sent).not.toHaveProperty('n');
      expect(sent).not.toHaveProperty('logprobs');
    });

    it('rejects a droppable_params entry that is not a parameter name', async () => {
      const response = await system.adminClient.post<{ error: { details: Record<string, string> } }>(
        '/admin/v1/models',
        {
          name: 'bad-droppable',
          deployments: [{ provider_id: upstreams.anthropic.providerId, upstream_model: 'x' }],
          prices: PRICES,
          droppable_params: ['n; drop table'],
        },
      );
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.error.details)).toContain('droppable_params');
    });
  });
});
