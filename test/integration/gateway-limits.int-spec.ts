import Anthropic from '@anthropic-ai/sdk';
import { FakeUpstream, reply } from '../fakes/fake-upstream';
import { TestSystem } from '../support/system';

interface OpenAiError {
  error: { type: string; code: string | null; message: string };
}

/** Per-key limits enforced by the gateway: 429 with retry-after for rates, 402 for money. */
describe('key limits at the gateway', () => {
  let system: TestSystem;
  let upstream: FakeUpstream;
  let tenantId: string;

  beforeAll(async () => {
    system = await TestSystem.start();
    upstream = await FakeUpstream.start();
    upstream.serve(reply.fixture('openai-chat-tool-call.json')); // 76 in, 24 out: 430,000 nano-USD
    await system.adminClient.providerAndModel({
      baseUrl: upstream.v1,
      model: 'gpt-4o',
      prices: { input: '2.50', output: '10.00' },
    });
    tenantId = (await system.adminClient.post<{ id: string }>('/admin/v1/tenants', { name: 'limited' })).body
      .id;
  });
  afterAll(async () => {
    await system?.stop();
    await upstream?.stop();
  });

  const keyWith = async (limits: Record<string, unknown>): Promise<string> =>
    (
      await system.adminClient.post<{ key: string }>(`/admin/v1/tenants/${tenantId}/keys`, {
        name: 'limited',
        ...limits,
      })
    ).body.key;
  const chat = (key: string, requestId?: string, stream = false): Promise<Response> =>
    fetch(`${system.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        ...(requestId ? { 'x-request-id': requestId } : {}),
      },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream }),
    });
  /** Settlement of finished requests is batched every 50 ms. */
  const settled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 120));

  it('refuses the request over rpm with 429, retry-after and the OpenAI shape, and logs the refusal', async () => {
    const key = await keyWith({ rpm: 2 });
    expect((await chat(key)).status).toBe(200);
    expect((await chat(key)).status).toBe(200);
    const refused = await chat(key, 'rpm-refused-1');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as OpenAiError;
    expect(body.error).toMatchObject({ type: 'rate_limit_exceeded', code: 'rate_limit_exceeded' });
    expect(body.error.message).toContain('2 requests per minute');
    const [row] = await system.eventually(async () => {
      const rows = await system.db.query<{ status: number; error_code: string; price_nano_usd: string }>(
        'SELECT status, error_code, price_nano_usd FROM usage_events WHERE request_id = $1',
        ['rpm-refused-1'],
      );
      return rows.length ? rows : null;
    });
    expect(row).toEqual({ status: 429, error_code: 'limit.rate', price_nano_usd: '0' });
  });

  it('answers an Anthropic client in its own shape', async () => {
    const key = await keyWith({ rpm: 1 });
    const anthropic = new Anthropic({ apiKey: key, baseURL: system.gatewayUrl, maxRetries: 0 });
    const call = (): Promise<unknown> =>
      anthropic.messages.create({
        model: 'gpt-4o',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      });
    await call();
    const error = await call().then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).error).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error' },
    });
  });

  it('refuses once the minute has used its tpm', async () => {
    const key = await keyWith({ tpm: 100 });
    expect((await chat(key)).status).toBe(200); // 100 tokens
    await settled();
    const refused = await chat(key);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as OpenAiError).error.message).toContain('100 tokens per minute');
  });

  it('holds a concurrency slot for the length of a stream', async () => {
    const key = await keyWith({ max_concurrency: 1 });
    upstream.serve(reply.sse('openai-chat-stream-text-usage.sse', { chunkSizes: [300], delayMs: 40 }));
    const first = await chat(key, undefined, true);
    expect(first.status).toBe(200);
    const second = await chat(key, undefined, true);
    expect(second.status).toBe(429);
    expect(((await second.json()) as OpenAiError).error.message).toContain('at most 1');
    await first.text(); // the stream ends
    await settled();
    const third = await chat(key, undefined, true);
    expect(third.status).toBe(200);
    await third.text();
    upstream.serve(reply.fixture('openai-chat-tool-call.json'));
  });

  it('refuses with 402 once the budget is spent, to the nano-USD', async () => {
    const key = await keyWith({ budget: { amount_usd: '0.00086', period: 'month' } }); // two calls of 0.00043
    expect((await chat(key)).status).toBe(200);
    await settled();
    expect((await chat(key)).status).toBe(200); // 430,000 spent < 860,000
    await settled();
    const refused = await chat(key);
    expect(refused.status).toBe(402);
    expect(((await refused.json()) as OpenAiError).error).toMatchObject({
      type: 'insufficient_quota',
      code: 'insufficient_quota',
    });
  });

  it('costs keys without limits nothing extra and never refuses them', async () => {
    const key = await keyWith({});
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () => chat(key).then((response) => response.status)),
    );
    expect(statuses.every((status) => status === 200)).toBe(true);
  });
});
