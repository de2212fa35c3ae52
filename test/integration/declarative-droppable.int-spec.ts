import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { FakeUpstream, reply } from '../fakes/fake-upstream';
import { TestSystem } from '../support/system';

/** switchyard.yaml can declare an Anthropic provider and the parameters a model may drop. */
describe('switchyard.yaml: anthropic providers and droppable_params', () => {
  let system: TestSystem;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    const file = join(mkdtempSync(join(tmpdir(), 'sy-yaml-')), 'switchyard.yaml');
    writeFileSync(
      file,
      `providers:
  - name: claude-account
    kind: anthropic
    base_url: ${upstream.url}
    api_key: \${CLAUDE_KEY}
models:
  - name: claude-tolerant
    prices: { input: "3.00", output: "15.00" }
    droppable_params: [n, logprobs]
    deployments:
      - { provider: claude-account, upstream_model: claude-sonnet-4-5 }
`,
    );
    system = await TestSystem.start({ env: { SWITCHYARD_CONFIG: file, CLAUDE_KEY: 'claude-secret-key' } });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.stop();
  });

  it('declares the list on the model and the gateway drops those parameters for Anthropic', async () => {
    const models = await system.adminClient.get<{
      data: Array<{ name: string; droppable_params: string[] }>;
    }>('/admin/v1/models');
    expect(models.body.data.find((model) => model.name === 'claude-tolerant')?.droppable_params).toEqual([
      'n',
      'logprobs',
    ]);

    const client = new OpenAI({
      apiKey: (await system.adminClient.tenantWithKey()).key,
      baseURL: `${system.gatewayUrl}/v1`,
      maxRetries: 0,
    });
    upstream.serve(reply.fixture('anthropic-messages-text.json'));
    const completion = await client.chat.completions.create({
      model: 'claude-tolerant',
      n: 2,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0].message.content).toContain('Hello');
    const sent = upstream.last();
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe('claude-secret-key');
    expect(JSON.parse(sent.body)).not.toHaveProperty('n');
  });
});
