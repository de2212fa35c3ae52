import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { DeclarativeConfigService } from '@switchyard/catalog';
import { FakeUpstream, reply } from '../fakes/fake-upstream';
import { TestSystem } from '../support/system';

describe('declarative start: env shortcuts and switchyard.yaml', () => {
  let system: TestSystem;
  let upstream: FakeUpstream;
  let configFile: string;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    configFile = join(mkdtempSync(join(tmpdir(), 'sy-yaml-')), 'switchyard.yaml');
    writeFileSync(
      configFile,
      `providers:
  - name: local-llama
    kind: openai_compatible
    profile: vllm
    base_url: ${upstream.v1}
    api_key: \${LLAMA_KEY}
models:
  - name: llama-local
    aliases: [llama]
    prices: { input: "0.10", output: "0.20" }
    deployments:
      - { provider: local-llama, upstream_model: meta-llama/Llama-3.3-70B-Instruct }
`,
    );
    system = await TestSystem.start({
      env: {
        SWITCHYARD_CONFIG: configFile,
        LLAMA_KEY: 'llama-secret-key',
        OPENAI_API_KEY: 'sk-openai-from-env',
        OPENAI_BASE_URL: upstream.v1,
      },
    });
  });
  afterAll(async () => {
    await system?.stop();
    await upstream?.stop();
  });

  it('upserts the env provider with the default catalog at list prices', async () => {
    const models = await system.adminClient.get<{
      data: Array<{ name: string; prices: Record<string, string> }>;
    }>('/admin/v1/models');
    const gpt4o = models.body.data.find((model) => model.name === 'gpt-4o');
    expect(gpt4o?.prices).toEqual({
      input: '2.50',
      cached_input: '1.25',
      cache_write: '2.50',
      output: '10.00',
    });
    const providers = await system.adminClient.get<{
      data: Array<{ name: string; kind: string; base_url: string }>;
    }>('/admin/v1/providers');
    expect(providers.body.data.map((p) => [p.name, p.kind, p.base_url])).toEqual(
      expect.arrayContaining([
        ['openai', 'openai', upstream.v1],
        ['local-llama', 'openai_compatible', upstream.v1],
      ]),
    );
    expect(providers.text).not.toContain('sk-openai-from-env');
  });

  it('serves the file-declared model by name and alias through the gateway', async () => {
    const { key } = await system.adminClient.tenantWithKey();
    const client = new OpenAI({ apiKey: key, baseURL: `${system.gatewayUrl}/v1`, maxRetries: 0 });
    upstream.serve(reply.fixture('openai-chat-text.json'));
    await client.chat.completions.create({ model: 'llama', messages: [{ role: 'user', content: 'hi' }] });
    expect(JSON.parse(upstream.last().body).model).toBe('meta-llama/Llama-3.3-70B-Instruct');
    expect(upstream.last().headers.authorization).toBe('Bearer llama-secret-key');
  });

  it('is idempotent: applying again changes nothing', async () => {
    const snapshot = (): Promise<unknown[]> =>
      system.db
        .query(`SELECT m.name, m.input_price, d.upstream_model, p.name AS provider, c.status, c.key_version
                         FROM models m JOIN model_deployments d ON d.model_id = m.id JOIN providers p ON p.id = d.provider_id
                         JOIN provider_credentials c ON c.provider_id = p.id ORDER BY m.name, c.status`);
    const before = await snapshot();
    const counts = (): Promise<unknown[]> =>
      system.db.query(
        'SELECT (SELECT count(*) FROM providers) p, (SELECT count(*) FROM provider_credentials) c, (SELECT count(*) FROM models) m',
      );
    const countsBefore = await counts();
    await system.admin.get(DeclarativeConfigService).apply();
    await system.admin.get(DeclarativeConfigService).apply();
    expect(await snapshot()).toEqual(before);
    expect(await counts()).toEqual(countsBefore);
  });
});
