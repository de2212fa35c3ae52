import OpenAI from 'openai';
import { FakeUpstream, reply } from '../fakes/fake-upstream';
import { TestSystem } from '../support/system';

interface CatalogBody {
  priced_for: string;
  data: Array<{
    id: string;
    pricing: Record<string, string>;
    status: string;
    context_window: number | null;
    capabilities: Record<string, unknown>;
  }>;
}
interface ModelView {
  id: string;
  name: string;
  aliases: string[];
  prices: Record<string, string>;
  deployments: Array<{
    id: string;
    priority: number;
    weight: number;
    status: string;
    upstream_model: string;
  }>;
}

/** Models, deployments and prices through the admin API, and what the gateway then does and charges. */
describe('models, pricing and the public catalog', () => {
  let system: TestSystem;
  let upstream: FakeUpstream;
  let backup: FakeUpstream;
  let modelId: string;
  let providerId: string;
  let tenantId: string;
  let key: string;

  beforeAll(async () => {
    system = await TestSystem.start({ env: { PUBLIC_CATALOG: 'true' } });
    upstream = await FakeUpstream.start();
    backup = await FakeUpstream.start();
    upstream.serve(reply.fixture('openai-chat-tool-call.json')); // 76 in, 24 out
    backup.serve(reply.fixture('openai-chat-tool-call.json'));
    ({ providerId, modelId } = await system.adminClient.providerAndModel({
      baseUrl: upstream.v1,
      model: 'gpt-4o',
      prices: { input: '2.50', output: '10.00' },
    }));
    ({ tenantId, key } = await system.adminClient.tenantWithKey());
    await system.adminClient.request('PATCH', `/admin/v1/models/${modelId}`, {
      context_window: 128000,
      capabilities: { tools: true, vision: true },
    });
  });
  afterAll(async () => {
    await system?.stop();
    await upstream?.stop();
    await backup?.stop();
  });

  const client = (): OpenAI => new OpenAI({ apiKey: key, baseURL: `${system.gatewayUrl}/v1`, maxRetries: 0 });
  const priceOfCall = async (requestId: string): Promise<string> => {
    await client().chat.completions.create(
      { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
      { headers: { 'x-request-id': requestId } },
    );
    return system.eventually(
      async () =>
        (
          await system.db.query<{ price_nano_usd: string }>(
            'SELECT price_nano_usd FROM usage_events WHERE request_id = $1',
            [requestId],
          )
        )[0]?.price_nano_usd,
    );
  };
  const catalog = async (withKey: boolean): Promise<CatalogBody> =>
    (await (
      await fetch(`${system.gatewayUrl}/v1/catalog`, {
        headers: withKey ? { authorization: `Bearer ${key}` } : {},
      })
    ).json()) as CatalogBody;

  it('lists the model square at list price without a key (PUBLIC_CATALOG) and at the tenant price with one', async () => {
    const publicView = await catalog(false);
    expect(publicView.priced_for).toBe('list');
    expect(publicView.data).toEqual([
      {
        id: 'gpt-4o',
        object: 'catalog.model',
        owned_by: null,
        context_window: 128000,
        capabilities: { tools: true, vision: true },
        pricing: {
          currency: 'USD',
          per: '1M tokens',
          input: '2.50',
          cached_input: '2.50',
          cache_write: '2.50',
          output: '10.00',
        },
        status: 'available',
        health: { status: 'idle', calls_5m: 0, failures_5m: 0 },
      },
    ]);
    expect((await catalog(true)).priced_for).toBe('tenant');
  });

  it('applies a tenant markup to the catalog and to what a request costs', async () => {
    expect(await priceOfCall('markup-before')).toBe(String(76 * 2500 + 24 * 10000)); // 430,000
    await system.adminClient.request('PATCH', `/admin/v1/tenants/${tenantId}`, {
      price_adjustment_bps: 1500,
    });
    await system.eventually(async () => (await catalog(true)).data[0].pricing.input === '2.875', 2_000);
    expect((await catalog(true)).data[0].pricing).toMatchObject({ input: '2.875', output: '11.50' });
    expect((await catalog(false)).data[0].pricing.input).toBe('2.50');
    expect(await priceOfCall('markup-after')).toBe(String(76 * 2875 + 24 * 11500)); // 494,500
    expect((await catalog(true)).data[0]).toMatchObject({
      health: { status: 'healthy', calls_5m: 2, failures_5m: 0 },
    });
  });

  it('lets a per-tenant override win over markup, and removing it restores the markup', async () => {
    const set = await system.adminClient.request<{ prices: Record<string, string> }>(
      'PUT',
      `/admin/v1/tenants/${tenantId}/prices/${modelId}`,
      { input: '1.00', output: '4.00' },
    );
    expect(set.status).toBe(200);
    expect(set.body.prices).toEqual({
      input: '1.00',
      cached_input: '1.00',
      cache_write: '1.00',
      output: '4.00',
    });
    await system.eventually(async () => (await catalog(true)).data[0].pricing.input === '1.00', 2_000);
    expect(await priceOfCall('override')).toBe(String(76 * 1000 + 24 * 4000));
    const list = await system.adminClient.get<{ data: Array<{ model: string }> }>(
      `/admin/v1/tenants/${tenantId}/prices`,
    );
    expect(list.body.data.map((row) => row.model)).toEqual(['gpt-4o']);
    expect((await system.adminClient.delete(`/admin/v1/tenants/${tenantId}/prices/${modelId}`)).status).toBe(
      204,
    );
    await system.eventually(async () => (await catalog(true)).data[0].pricing.input === '2.875', 2_000);
  });

  it('reprices, renames and aliases a model; the gateway follows within a second', async () => {
    const updated = await system.adminClient.request<ModelView>('PATCH', `/admin/v1/models/${modelId}`, {
      aliases: ['omni'],
      prices: { input: '5.00', output: '20.00' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ aliases: ['omni'], prices: { input: '5.00', output: '20.00' } });
    await system.eventually(async () => {
      const response = await fetch(`${system.gatewayUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'omni', messages: [{ role: 'user', content: 'hi' }] }),
      });
      return response.status === 200;
    }, 1_000);
    const clash = await system.adminClient.post('/admin/v1/models', {
      name: 'omni',
      deployments: [{ provider_id: providerId, upstream_model: 'x' }],
      prices: { input: '1', output: '1' },
    });
    expect(clash.status).toBe(409);
  });

  it('adds a backup deployment, fails over to it, and stops using a disabled one', async () => {
    const backupProvider = await system.adminClient.post<{ id: string }>('/admin/v1/providers', {
      name: 'backup',
      kind: 'openai',
      base_url: backup.v1,
      api_key: 'sk-backup',
    });
    const withBackup = await system.adminClient.post<ModelView>(`/admin/v1/models/${modelId}/deployments`, {
      provider_id: backupProvider.body.id,
      upstream_model: 'gpt-4o-backup',
      priority: 1,
    });
    expect(withBackup.status).toBe(201);
    expect(withBackup.body.deployments.map((d) => [d.upstream_model, d.priority])).toEqual([
      ['gpt-4o-2024-08-06', 0],
      ['gpt-4o-backup', 1],
    ]);
    const primary = withBackup.body.deployments[0];

    upstream.serve(reply.json({ error: { message: 'overloaded' } }, 503));
    await system.eventually(async () => {
      const before = backup.requests.length;
      await client().chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'hi' }],
      });
      return backup.requests.length === before + 1;
    }, 2_000);
    expect(JSON.parse(backup.last().body).model).toBe('gpt-4o-backup');
    upstream.serve(reply.fixture('openai-chat-tool-call.json'));

    await system.adminClient.request('PATCH', `/admin/v1/models/${modelId}/deployments/${primary.id}`, {
      status: 'disabled',
    });
    await system.eventually(async () => {
      const before = upstream.requests.length;
      await client().chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'hi' }],
      });
      return upstream.requests.length === before;
    }, 1_000);
    expect(
      (await system.adminClient.delete(`/admin/v1/models/${modelId}/deployments/${primary.id}`)).status,
    ).toBe(200);
  });

  it('disables a provider: its models become unavailable in the catalog and answer 503', async () => {
    const backupProvider = (
      await system.adminClient.get<{ data: Array<{ id: string; name: string }> }>('/admin/v1/providers')
    ).body.data.find((p) => p.name === 'backup')!;
    const disabled = await system.adminClient.request<{ status: string }>(
      'PATCH',
      `/admin/v1/providers/${backupProvider.id}`,
      { status: 'disabled' },
    );
    expect(disabled.body.status).toBe('disabled');
    await system.eventually(async () => (await catalog(true)).data[0].status === 'unavailable', 1_000);
    await expect(
      client().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toMatchObject({ status: 503 });
    await system.adminClient.request('PATCH', `/admin/v1/providers/${backupProvider.id}`, {
      status: 'active',
    });
  });

  it('deletes a model: 404 at the gateway, its usage history kept', async () => {
    const deleted = await system.adminClient.delete<ModelView>(`/admin/v1/models/${modelId}`);
    expect(deleted.status).toBe(200);
    await system.eventually(async () => {
      const response = await fetch(`${system.gatewayUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      });
      return response.status === 404;
    }, 1_000);
    expect(
      (await system.db.query("SELECT 1 FROM usage_events WHERE model = 'gpt-4o'")).length,
    ).toBeGreaterThan(3);
  });

  it('audited every catalog change, with before and after', async () => {
    const rows = await system.db.query<{
      action: string;
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
    }>(
      "SELECT action, before, after FROM audit_logs WHERE action LIKE 'model.%' OR action LIKE 'provider.%' OR action LIKE 'price_override.%' ORDER BY id",
    );
    expect(rows.map((row) => row.action)).toEqual([
      'provider.create',
      'model.create',
      'model.update',
      'price_override.set',
      'price_override.delete',
      'model.update',
      'provider.create',
      'model.deployment.add',
      'model.deployment.update',
      'model.deployment.delete',
      'provider.update',
      'provider.update',
      'model.delete',
    ]);
    const reprice = rows.filter((row) => row.action === 'model.update')[1];
    expect(reprice.before).toMatchObject({ prices: { input: '2.50' }, aliases: [] });
    expect(reprice.after).toMatchObject({ prices: { input: '5.00' }, aliases: ['omni'] });
  });
});
