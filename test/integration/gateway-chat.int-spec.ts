import OpenAI from 'openai';
import { FakeUpstream, reply } from '../fakes/fake-upstream';
import { fixtureJson, sseDataPayloads } from '../fakes/fixtures';
import { TestSystem } from '../support/system';

interface UsageRow {
  request_id: string;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  price_nano_usd: string;
  cost_nano_usd: string;
  outcome: string;
  status: number;
  stream: boolean;
  model: string;
  upstream_model: string;
  usage_estimated: boolean;
}

describe('POST /v1/chat/completions through the official openai SDK', () => {
  let system: TestSystem;
  let upstream: FakeUpstream;
  let client: OpenAI;
  let tenantId: string;

  beforeAll(async () => {
    system = await TestSystem.start();
    upstream = await FakeUpstream.start();
    await system.adminClient.providerAndModel({
      baseUrl: upstream.v1,
      model: 'gpt-4o',
      upstreamModel: 'gpt-4o-2024-08-06',
      // $2.50 in, $1.25 cached, $10 out per 1M; costs $2 / $1 / $8
      prices: { input: '2.50', cached_input: '1.25', output: '10.00' },
      costs: { input: '2.00', cached_input: '1.00', output: '8.00' },
    });
    const caller = await system.adminClient.tenantWithKey();
    tenantId = caller.tenantId;
    client = new OpenAI({ apiKey: caller.key, baseURL: `${system.gatewayUrl}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.stop();
  });

  const usageRow = (requestId: string): Promise<UsageRow> =>
    system.eventually(
      async () =>
        (await system.db.query<UsageRow>('SELECT * FROM usage_events WHERE request_id = $1', [requestId]))[0],
    );

  it('returns exactly what the upstream sent for a non-streaming tool call, and bills it once', async () => {
    upstream.serve(reply.fixture('openai-chat-tool-call.json'));
    const { data: completion, response } = await client.chat.completions
      .create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'Weather in Edinburgh?' }],
        tools: [
          {
            type: 'function',
            function: {
              name: 'GetWeatherArgs',
              parameters: { type: 'object', properties: { city: { type: 'string' } } },
            },
          },
        ],
      })
      .withResponse();

    expect(completion).toEqual(fixtureJson('openai-chat-tool-call.json'));
    expect(
      JSON.parse(
        completion.choices[0].message.tool_calls![0].type === 'function'
          ? completion.choices[0].message.tool_calls![0].function.arguments
          : '',
      ),
    ).toEqual({
      city: 'Edinburgh',
      country: 'UK',
      units: 'c',
    });

    // Only `model` was rewritten; tools went through untouched.
    const sent = JSON.parse(upstream.last().body) as Record<string, unknown>;
    expect(sent.model).toBe('gpt-4o-2024-08-06');
    expect(sent.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'GetWeatherArgs',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ]);
    expect(upstream.last().headers.authorization).toBe('Bearer sk-upstream-test-secret-value');

    const requestId = response.headers.get('x-request-id')!;
    const row = await usageRow(requestId);
    expect(row).toMatchObject({
      input_tokens: 76,
      cached_input_tokens: 0,
      output_tokens: 24,
      outcome: 'success',
      status: 200,
      stream: false,
    });
    expect(row.model).toBe('gpt-4o');
    expect(row.upstream_model).toBe('gpt-4o-2024-08-06');
    // 76 * 2500 + 24 * 10000 = 430,000 nano-USD; cost 76 * 2000 + 24 * 8000 = 344,000
    expect(row.price_nano_usd).toBe('430000');
    expect(row.cost_nano_usd).toBe('344000');
    expect(row.usage_estimated).toBe(false);
  });

  it('streams a tool call chunk by chunk, hides the injected usage chunk, and bills the stream once', async () => {
    upstream.serve(reply.sse('openai-chat-stream-tools.sse', { chunkSizes: [7, 64, 1, 300] }));
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather in SF?' }],
      stream: true,
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    const upstreamChunks = sseDataPayloads('openai-chat-stream-tools.sse');
    // Everything but the usage chunk, which this client did not ask for.
    expect(chunks).toEqual(upstreamChunks.filter((chunk) => !('usage' in (chunk as object))));
    const args = chunks
      .map((chunk) => chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '')
      .join('');
    expect(JSON.parse(args)).toEqual(JSON.parse(args)); // parses: the fragments were reassembled intact
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe('tool_calls');

    const sent = JSON.parse(upstream.last().body) as { stream_options?: unknown; model: string };
    expect(sent.stream_options).toEqual({ include_usage: true });
    expect(sent.model).toBe('gpt-4o-2024-08-06');

    const rows = await system.eventually(async () => {
      const found = await system.db.query<UsageRow>(
        'SELECT * FROM usage_events WHERE stream AND tenant_id = $1',
        [tenantId],
      );
      return found.length > 0 ? found : null;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      input_tokens: 44,
      output_tokens: 16,
      outcome: 'success',
      stream: true,
      usage_estimated: false,
    });
    expect(rows[0].price_nano_usd).toBe(String(44 * 2500 + 16 * 10000));
  });

  it('keeps the usage chunk for a client that asked for it', async () => {
    upstream.serve(reply.sse('openai-chat-stream-text-usage.sse'));
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toEqual(sseDataPayloads('openai-chat-stream-text-usage.sse'));
    expect(chunks.at(-1)?.usage).toEqual({
      prompt_tokens: 14,
      completion_tokens: 30,
      total_tokens: 44,
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });

  it('passes the body through byte for byte apart from model', async () => {
    upstream.serve(reply.fixture('openai-chat-text.json'));
    const raw =
      '{"model":"gpt-4o","messages":[{"role":"user","content":"caf\\u00e9"}],"temperature":1.0,"seed":12345678901234567890,"future_field":{"x":[1,2]}}';
    const response = await fetch(`${system.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${client.apiKey}`, 'content-type': 'application/json' },
      body: raw,
    });
    expect(response.status).toBe(200);
    expect(upstream.last().body).toBe(raw.replace('"model":"gpt-4o"', '"model":"gpt-4o-2024-08-06"'));
  });

  it('echoes a caller x-request-id and uses it as the usage idempotency key', async () => {
    upstream.serve(reply.fixture('openai-chat-text.json'));
    const { response } = await client.chat.completions
      .create(
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] },
        { headers: { 'x-request-id': 'caller-req-0001' } },
      )
      .withResponse();
    expect(response.headers.get('x-request-id')).toBe('caller-req-0001');
    expect((await usageRow('caller-req-0001')).output_tokens).toBe(363);
  });

  it('lists only the models the key may use, in the OpenAI list shape', async () => {
    const page = await client.models.list();
    expect(page.data.map((model) => model.id)).toEqual(['gpt-4o']);
    expect(page.data[0]).toMatchObject({ object: 'model', id: 'gpt-4o' });
    expect((await client.models.retrieve('gpt-4o')).id).toBe('gpt-4o');
  });
});
