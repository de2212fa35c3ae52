import { TestSystem, TEST_ADMIN_TOKEN } from '../support/system';

interface ListBody<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}
interface ErrorBody {
  error: { type: string; message: string; details: Record<string, string> };
}

const UPSTREAM_SECRET = 'sk-live-UPSTREAM-never-leak-7f3a9c';

describe('admin API', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start({ worker: false });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const admin = (): TestSystem['adminClient'] => system.adminClient;
  const anonymous = (): TestSystem['adminClient'] => system.adminClient.withToken(null);

  describe('authentication', () => {
    // 401 on every route, route by route: admin-access.int-spec.ts.
    it('serves health without a token', async () => {
      expect((await anonymous().get('/health/live')).status).toBe(200);
      expect((await anonymous().get('/health/ready')).body).toMatchObject({
        ready: true,
        checks: { postgres: true, redis: true, migrations: true },
      });
    });
  });

  describe('tenants', () => {
    it('creates, gets and lists tenants with cursor pagination', async () => {
      const created: string[] = [];
      for (const name of ['t-one', 't-two', 't-three']) {
        const response = await admin().post<{ id: string; name: string; status: string; object: string }>(
          '/admin/v1/tenants',
          { name },
        );
        expect(response.status).toBe(201);
        expect(response.body).toMatchObject({
          name,
          status: 'active',
          object: 'tenant',
          billing_mode: 'postpaid',
        });
        created.push(response.body.id);
      }
      const one = await admin().get<{ id: string; name: string }>(`/admin/v1/tenants/${created[1]}`);
      expect(one.body).toMatchObject({ id: created[1], name: 't-two' });

      const first = await admin().get<ListBody<{ id: string }>>('/admin/v1/tenants?limit=2');
      expect(first.body.data).toHaveLength(2);
      expect(first.body.has_more).toBe(true);
      const second = await admin().get<ListBody<{ id: string }>>(
        `/admin/v1/tenants?limit=2&cursor=${first.body.next_cursor}`,
      );
      const seen = [...first.body.data, ...second.body.data].map((tenant) => tenant.id);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of created) expect(seen).toContain(id);
    });

    it('400 with field details for a bad body, 404 for an unknown or malformed id', async () => {
      const bad = await admin().post<ErrorBody>('/admin/v1/tenants', { name: '', color: 'red' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.type).toBe('invalid_request');
      expect(Object.keys(bad.body.error.details).sort()).toEqual(['color', 'name']);

      const malformed = await admin().request<ErrorBody>('POST', '/admin/v1/tenants', '{"name":');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.type).toBe('invalid_request');

      expect((await admin().get('/admin/v1/tenants/00000000-0000-0000-0000-000000000000')).status).toBe(404);
      expect((await admin().get('/admin/v1/tenants/not-a-uuid')).status).toBe(404);
      expect((await admin().get('/admin/v1/tenants?limit=0')).status).toBe(400);
      expect((await admin().get('/admin/v1/tenants?cursor=garbage')).status).toBe(400);
    });
  });

  describe('keys', () => {
    it('shows the plaintext key once, stores only its hash, lists without secrets, revokes', async () => {
      const tenant = await admin().post<{ id: string }>('/admin/v1/tenants', { name: 'keys-co' });
      const created = await admin().post<{ id: string; key: string; prefix: string; status: string }>(
        `/admin/v1/tenants/${tenant.body.id}/keys`,
        {
          name: 'backend',
        },
      );
      expect(created.status).toBe(201);
      expect(created.body.key).toMatch(/^sk-sy-[A-Za-z0-9]{40}$/);
      expect(created.body.key.startsWith(created.body.prefix)).toBe(true);

      const stored = await system.db.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = $1', [
        created.body.id,
      ]);
      expect(JSON.stringify(stored)).not.toContain(created.body.key);
      expect(stored[0].key_hash).toMatch(/^[0-9a-f]{64}$/);

      const list = await admin().get<ListBody<Record<string, unknown>>>(
        `/admin/v1/tenants/${tenant.body.id}/keys`,
      );
      expect(list.body.data).toHaveLength(1);
      expect(list.text).not.toContain(created.body.key);
      expect(list.body.data[0]).not.toHaveProperty('key');

      const revoked = await admin().delete<{ status: string; revoked_at: string }>(
        `/admin/v1/keys/${created.body.id}`,
      );
      expect(revoked.status).toBe(200);
      expect(revoked.body.status).toBe('revoked');
      expect(revoked.body.revoked_at).toBeTruthy();
      expect((await admin().delete(`/admin/v1/keys/${created.body.id}`)).status).toBe(200);
    });

    it('404 for keys of an unknown tenant or an unknown key; 400 for a bad body', async () => {
      expect(
        (await admin().post('/admin/v1/tenants/00000000-0000-0000-0000-000000000000/keys', { name: 'x' }))
          .status,
      ).toBe(404);
      expect((await admin().get('/admin/v1/tenants/00000000-0000-0000-0000-000000000000/keys')).status).toBe(
        404,
      );
      expect((await admin().delete('/admin/v1/keys/00000000-0000-0000-0000-000000000000')).status).toBe(404);
      const tenant = await admin().post<{ id: string }>('/admin/v1/tenants', { name: 'bad-key-body' });
      const bad = await admin().post<ErrorBody>(`/admin/v1/tenants/${tenant.body.id}/keys`, {
        name: 5,
        expires_at: 'tomorrow',
      });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.error.details).sort()).toEqual(['expires_at', 'name']);
    });
  });

  describe('providers and models', () => {
    let providerId: string;

    it('stores the upstream key encrypted and never returns it', async () => {
      const created = await admin().post<{ id: string; credentials: Array<{ hint: string }> }>(
        '/admin/v1/providers',
        {
          name: 'openai-main',
          kind: 'openai',
          base_url: 'https://api.openai.com/v1/',
          api_key: UPSTREAM_SECRET,
        },
      );
      expect(created.status).toBe(201);
      expect(created.text).not.toContain(UPSTREAM_SECRET);
      expect(created.body).toMatchObject({
        name: 'openai-main',
        kind: 'openai',
        base_url: 'https://api.openai.com/v1',
      });
      expect(created.body.credentials[0].hint).toBe('…3a9c');
      providerId = created.body.id;

      const rows = await system.db.query<{ ciphertext: Buffer; key_version: number }>(
        'SELECT ciphertext, key_version FROM provider_credentials',
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].ciphertext.includes(Buffer.from(UPSTREAM_SECRET))).toBe(false);
      expect(rows[0].key_version).toBe(1);

      for (const path of ['/admin/v1/providers', `/admin/v1/providers/${providerId}`]) {
        const response = await admin().get(path);
        expect(response.status).toBe(200);
        expect(response.text).not.toContain(UPSTREAM_SECRET);
      }
      expect(
        (
          await admin().post('/admin/v1/providers', {
            name: 'openai-main',
            kind: 'openai',
            base_url: 'https://x/v1',
            api_key: 'k',
          })
        ).status,
      ).toBe(409);
    });

    it('400s a provider of an unknown kind or without a key, naming each field', async () => {
      const bad = await admin().post<ErrorBody>('/admin/v1/providers', {
        name: 'bad',
        kind: 'azure',
        base_url: 'not a url',
      });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.error.details).sort()).toEqual(['api_key', 'base_url', 'kind']);
    });

    it('creates a model with exact nano-USD prices and defaults cached input to input', async () => {
      const created = await admin().post<{
        id: string;
        prices: Record<string, string>;
        deployments: Array<Record<string, unknown>>;
      }>('/admin/v1/models', {
        name: 'gpt-4o',
        deployments: [
          { provider_id: providerId, upstream_model: 'gpt-4o-2024-08-06', priority: 0, weight: 1 },
        ],
        prices: { input: '2.50', output: '10.00' },
        costs: { input: '0.000000001', output: '7.123456789' },
      });
      expect(created.status).toBe(201);
      expect(created.body.prices).toEqual({
        input: '2.50',
        cached_input: '2.50',
        cache_write: '2.50',
        output: '10.00',
      });
      expect(created.body.deployments[0]).toMatchObject({
        provider_id: providerId,
        upstream_model: 'gpt-4o-2024-08-06',
        priority: 0,
        weight: 1,
      });
      const [row] = await system.db.query<{ input_price: string; output_price: string }>(
        'SELECT input_price, output_price FROM models WHERE id = $1',
        [created.body.id],
      );
      expect(row).toEqual({ input_price: '2500000000', output_price: '10000000000' });
      const [deployment] = await system.db.query<{ input_cost: string; output_cost: string }>(
        'SELECT input_cost, output_cost FROM model_deployments',
      );
      expect(deployment).toEqual({ input_cost: '1', output_cost: '7123456789' });

      const list = await admin().get<ListBody<{ name: string }>>('/admin/v1/models');
      expect(list.body.data.map((model) => model.name)).toEqual(['gpt-4o']);
      expect((await admin().get(`/admin/v1/models/${created.body.id}`)).status).toBe(200);
      expect(
        (
          await admin().post('/admin/v1/models', {
            name: 'gpt-4o',
            deployments: [{ provider_id: providerId, upstream_model: 'x' }],
            prices: { input: '1', output: '1' },
          })
        ).status,
      ).toBe(409);
    });

    it('400s prices that are not exact decimals and deployments naming an unknown provider', async () => {
      const floats = await admin().post<ErrorBody>('/admin/v1/models', {
        name: 'm1',
        deployments: [{ provider_id: providerId, upstream_model: 'x' }],
        prices: { input: 2.5, output: '1e-3' },
      });
      expect(floats.status).toBe(400);
      expect(Object.keys(floats.body.error.details).sort()).toEqual(['prices.input', 'prices.output']);

      const tooPrecise = await admin().post<ErrorBody>('/admin/v1/models', {
        name: 'm2',
        deployments: [{ provider_id: providerId, upstream_model: 'x' }],
        prices: { input: '0.0000000001', output: '1' },
      });
      expect(tooPrecise.status).toBe(400);

      const unknown = await admin().post<ErrorBody>('/admin/v1/models', {
        name: 'm3',
        deployments: [{ provider_id: '00000000-0000-0000-0000-000000000000', upstream_model: 'x' }],
        prices: { input: '1', output: '1' },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.details).toEqual({ 'deployments[0].provider_id': 'no provider has this id' });

      const empty = await admin().post<ErrorBody>('/admin/v1/models', {
        name: 'm4',
        deployments: [],
        prices: { input: '1', output: '1' },
      });
      expect(empty.status).toBe(400);
      expect(Object.keys(empty.body.error.details)).toEqual(['deployments']);
    });
  });

  it('never writes the upstream secret or the admin token to a log line', () => {
    const logs = system.logs.text();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(UPSTREAM_SECRET);
    expect(logs).not.toContain(TEST_ADMIN_TOKEN);
  });

  it('documents a typed success answer for every operation', async () => {
    const document = (
      await anonymous().get<{
        paths: Record<
          string,
          Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>
        >;
      }>('/admin/docs-json')
    ).body;
    const undocumented: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'));
        const typed =
          success && (success[0] === '204' || success[1].content?.['application/json']?.schema !== undefined);
        if (!typed) undocumented.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('serves the OpenAPI document and UI', async () => {
    const json = await anonymous().get<{ openapi: string; paths: object }>('/admin/docs-json');
    expect(json.status).toBe(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.paths)).toContain('/admin/v1/tenants');
    const ui = await anonymous().get('/admin/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });
});
