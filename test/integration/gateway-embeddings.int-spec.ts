import OpenAI from 'openai';
import { reply } from '../fakes/fake-upstream';
import { fixtureJson } from '../fakes/fixtures';
import { registerUpstreams, stopUpstreams, Upstreams } from '../fakes/upstream-kinds';
import { TestSystem } from '../support/system';

interface UsageRow {
  input_tokens: number;
  output_tokens: number;
  usage_estimated: boolean;
  protocol: string;
  outcome: string;
}

/**
 * POST /v1/embeddings through the official openai SDK, which asks for base64 unless told
 * otherwise: passed through to OpenAI, converted to base64 by the gateway when a compatible server
 * answers with floats, and translated to Gemini's embedContent / batchEmbedContents.
 */
describe('POST /v1/embeddings', () => {
  let system: TestSystem;
  let upstreams: Upstreams;
  let client: OpenAI;
  let counter = 0;

  beforeAll(async () => {
    system = await TestSystem.start();
    upstreams = await registerUpstreams(system, ['openai', 'deepseek', 'gemini', 'anthropic']);
    client = new OpenAI({
      apiKey: (await system.adminClient.tenantWithKey()).key,
      baseURL: `${system.gatewayUrl}/v1`,
      maxRetries: 0,
    });
  });

  afterAll(async () => {
    await system?.stop();
    await stopUpstreams(upstreams);
  });

  const row = async (requestId: string): Promise<UsageRow> =>
    (
      await system.eventually(async () => {
        const rows = await system.db.query<UsageRow>('SELECT * FROM usage_events WHERE request_id = $1', [
          requestId,
        ]);
        return rows.length > 0 ? rows : null;
      })
    )[0];

  const floats = fixtureJson<{ data: Array<{ embedding: number[] }> }>('openai-embeddings-float.json').data[0]
    .embedding;
  const float32 = (values: number[]): number[] => Array.from(new Float32Array(values));
  const id = (): string => `embed-${++counter}`;

  it('passes an OpenAI answer through (base64, as openai-node asks) and meters its prompt tokens', async () => {
    upstreams.openai.fake.serve(reply.fixture('openai-embeddings-base64.json'));
    const requestId = id();
    const result = await client.embeddings.create(
      { model: 'm-openai', input: 'The food was delicious' },
      { headers: { 'x-request-id': requestId } },
    );
    expect(result.data[0].embedding).toHaveLength(256);
    const sent = JSON.parse(upstreams.openai.fake.last().body) as Record<string, unknown>;
    expect(sent).toEqual({
      model: upstreams.openai.upstreamModel,
      input: 'The food was delicious',
      encoding_format: 'base64',
    });
    expect(upstreams.openai.fake.last().path).toBe('/v1/embeddings');
    expect(await row(requestId)).toMatchObject({
      input_tokens: 1,
      output_tokens: 0,
      usage_estimated: false,
      protocol: 'openai.embeddings',
      outcome: 'success',
    });
  });

  it('produces base64 itself when a compatible server answers with floats', async () => {
    upstreams.deepseek.fake.serve(reply.fixture('openai-embeddings-float.json'));
    const result = await client.embeddings.create({ model: 'm-deepseek', input: 'The food was delicious' });
    expect(result.data[0].embedding).toEqual(float32(floats));

    upstreams.deepseek.fake.serve(reply.fixture('openai-embeddings-float.json'));
    const asFloats = await client.embeddings.create({
      model: 'm-deepseek',
      input: 'x',
      encoding_format: 'float',
    });
    expect(asFloats.data[0].embedding).toEqual(floats);
  });

  it('translates one input to Gemini embedContent and a list to batchEmbedContents', async () => {
    const values = [0.5, -0.25, 0.125, 1e-3];
    upstreams.gemini.fake.serve(reply.json({ embedding: { values } }));
    const requestId = id();
    const one = await client.embeddings.create(
      { model: 'm-gemini', input: 'hello world', dimensions: 4 },
      { headers: { 'x-request-id': requestId } },
    );
    expect(one.data).toEqual([{ object: 'embedding', index: 0, embedding: float32(values) }]);
    expect(one.model).toBe('m-gemini');
    const single = upstreams.gemini.fake.last();
    expect(single.path).toBe(`/v1beta/models/${upstreams.gemini.upstreamModel}:embedContent`);
    expect(single.headers['x-goog-api-key']).toBe('secret-gemini-upstream-key');
    expect(JSON.parse(single.body)).toEqual({
      model: `models/${upstreams.gemini.upstreamModel}`,
      content: { parts: [{ text: 'hello world' }] },
      outputDimensionality: 4,
    });
    // Gemini reports no token counts for embeddings: estimated from the text, and flagged.
    expect(await row(requestId)).toMatchObject({ input_tokens: 3, usage_estimated: true });

    upstreams.gemini.fake.serve(reply.json({ embeddings: [{ values }, { values: [1, 2, 3, 4] }] }));
    const batch = await client.embeddings.create({
      model: 'm-gemini',
      input: ['a', 'b'],
      encoding_format: 'float',
    });
    expect(batch.data.map((item) => item.embedding)).toEqual([values, [1, 2, 3, 4]]);
    const sent = upstreams.gemini.fake.last();
    expect(sent.path).toBe(`/v1beta/models/${upstreams.gemini.upstreamModel}:batchEmbedContents`);
    expect((JSON.parse(sent.body) as { requests: unknown[] }).requests).toHaveLength(2);
  });

  it('refuses what an upstream cannot embed, in the OpenAI shape', async () => {
    await expect(client.embeddings.create({ model: 'm-gemini', input: [[1, 2, 3]] })).rejects.toMatchObject({
      status: 400,
      param: 'input',
    });
    await expect(client.embeddings.create({ model: 'm-anthropic', input: 'x' })).rejects.toMatchObject({
      status: 400,
      param: 'model',
    });
    await expect(client.embeddings.create({ model: 'm-openai', input: [] })).rejects.toMatchObject({
      status: 400,
      param: 'input',
    });
  });

  it('answers 502 for a malformed Gemini answer', async () => {
    upstreams.gemini.fake.serve(reply.json({ embedding: { values: ['nope'] } }));
    await expect(client.embeddings.create({ model: 'm-gemini', input: 'x' })).rejects.toMatchObject({
      status: 502,
    });
  });
});
