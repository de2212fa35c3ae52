import OpenAI from 'openai';
import { FakeUpstream, reply } from '../fakes/fake-upstream';
import { TestSystem } from '../support/system';

/** Key scopes and lifecycle as the gateway enforces them, across two gateway replicas. */
describe('key lifecycle at the gateway', () => {
  let system: TestSystem;
  let upstream: FakeUpstream;
  let replicaUrl: string;
  let tenantId: string;

  beforeAll(async () => {
    system = await TestSystem.start({ worker: false });
    upstream = await FakeUpstream.start();
    upstream.serve(reply.fixture('openai-chat-text.json'));
    const { providerId } = await system.adminClient.providerAndModel({
      baseUrl: upstream.v1,
      model: 'gpt-4o',
    });
    await system.adminClient.post('/admin/v1/models', {
      name: 'claude-sonnet-4-5',
      deployments: [{ provider_id: providerId, upstream_model: 'gpt-4o' }],
      prices: { input: '3', output: '15' },
    });
    replicaUrl = await system.startGatewayReplica();
    tenantId = (await system.adminClient.post<{ id: string }>('/admin/v1/tenants', { name: 'lifecycle' }))
      .body.id;
  });
  afterAll(async () => {
    await system?.stop();
    await upstream?.stop();
  });

  const chat = (base: string, key: string, model = 'gpt-4o'): Promise<Response> =>
    fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });
  const statusOn = async (base: string, key: string, model?: string): Promise<number> =>
    (await chat(base, key, model)).status;
  const newKey = async (body: Record<string, unknown> = {}): Promise<{ id: string; key: string }> =>
    (
      await system.adminClient.post<{ id: string; key: string }>(`/admin/v1/tenants/${tenantId}/keys`, {
        name: 'k',
        ...body,
      })
    ).body;
  const bothRefuse = (key: string, status: number, model?: string): Promise<unknown> =>
    Promise.all(
      [system.gatewayUrl, replicaUrl].map((base) =>
        system.eventually(async () => (await statusOn(base, key, model)) === status, 1_000),
      ),
    );

  it('keeps the old key working through the rotation grace period on every replica, then refuses it', async () => {
    const old = await newKey();
    for (const base of [system.gatewayUrl, replicaUrl]) expect(await statusOn(base, old.key)).toBe(200);

    const rotated = await system.adminClient.post<{ id: string; key: string }>(
      `/admin/v1/keys/${old.id}/rotate`,
      { grace_seconds: 2 },
    );
    expect(rotated.status).toBe(201);
    for (const base of [system.gatewayUrl, replicaUrl]) {
      expect(await statusOn(base, rotated.body.key)).toBe(200);
      expect(await statusOn(base, old.key)).toBe(200); // still in grace
    }
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    for (const base of [system.gatewayUrl, replicaUrl]) {
      const refused = await chat(base, old.key);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
      expect(await statusOn(base, rotated.body.key)).toBe(200);
    }
  });

  it('rotation with no grace stops the old key within a second everywhere', async () => {
    const old = await newKey();
    for (const base of [system.gatewayUrl, replicaUrl]) expect(await statusOn(base, old.key)).toBe(200);
    await system.adminClient.post(`/admin/v1/keys/${old.id}/rotate`, { grace_seconds: 0 });
    await bothRefuse(old.key, 401);
  });

  it('suspending a tenant refuses its keys within a second on every replica; reactivating restores them', async () => {
    const key = await newKey();
    for (const base of [system.gatewayUrl, replicaUrl]) expect(await statusOn(base, key.key)).toBe(200);
    await system.adminClient.request('PATCH', `/admin/v1/tenants/${tenantId}`, { status: 'suspended' });
    await bothRefuse(key.key, 403);
    const body = (await (await chat(system.gatewayUrl, key.key)).json()) as { error: { code: string } };
    expect(body.error.code).toBe('tenant_suspended');
    await system.adminClient.request('PATCH', `/admin/v1/tenants/${tenantId}`, { status: 'active' });
    await bothRefuse(key.key, 200);
  });

  it('enforces allowed_models with patterns, and a changed scope applies within a second', async () => {
    const key = await newKey({ allowed_models: ['gpt-*'] });
    expect(await statusOn(system.gatewayUrl, key.key, 'gpt-4o')).toBe(200);
    const refused = await chat(system.gatewayUrl, key.key, 'claude-sonnet-4-5');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('model_not_allowed');

    const client = new OpenAI({ apiKey: key.key, baseURL: `${replicaUrl}/v1`, maxRetries: 0 });
    expect((await client.models.list()).data.map((model) => model.id)).toEqual(['gpt-4o']);

    await system.adminClient.request('PATCH', `/admin/v1/keys/${key.id}`, { allowed_models: null });
    await bothRefuse(key.key, 200, 'claude-sonnet-4-5');
  });

  it('refuses a key after its expires_at', async () => {
    const key = await newKey({ expires_at: new Date(Date.now() + 1_500).toISOString() });
    expect(await statusOn(replicaUrl, key.key)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect(await statusOn(replicaUrl, key.key)).toBe(401);
  });
});
