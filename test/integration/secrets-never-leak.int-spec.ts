import { FakeUpstream, reply } from '../fakes/fake-upstream';
import { TestSystem, TEST_ADMIN_TOKEN } from '../support/system';

/**
 * A whole operator session, then a scan: no provider key, admin token or tenant key may appear
 * in any response (other than the one response that hands it out), any log line, any audit row
 * or any table the admin API reads from.
 */
describe('secrets never leak', () => {
  let system: TestSystem;
  let upstream: FakeUpstream;
  const responses: string[] = [];
  const UPSTREAM_KEY = 'sk-proj-UPSTREAMSECRET0123456789';
  const ROTATED_UPSTREAM_KEY = 'sk-proj-ROTATEDSECRET9876543210';
  const secrets: string[] = [UPSTREAM_KEY, ROTATED_UPSTREAM_KEY, TEST_ADMIN_TOKEN];

  beforeAll(async () => {
    system = await TestSystem.start();
    upstream = await FakeUpstream.start();
    upstream.serve(reply.fixture('openai-chat-text.json'));
    const admin = system.adminClient;
    const record = <T extends { text: string }>(response: T): T => {
      responses.push(response.text);
      return response;
    };

    const provider = record(
      await admin.post<{ id: string; credentials: Array<{ id: string }> }>('/admin/v1/providers', {
        name: 'scanned',
        kind: 'openai',
        base_url: upstream.v1,
        api_key: UPSTREAM_KEY,
      }),
    );
    record(
      await admin.post('/admin/v1/models', {
        name: 'gpt-4o',
        deployments: [{ provider_id: provider.body.id, upstream_model: 'gpt-4o' }],
        prices: { input: '1', output: '2' },
      }),
    );
    const tenant = record(await admin.post<{ id: string }>('/admin/v1/tenants', { name: 'scan co' }));

    // Handed out once each: kept as secrets, their creation responses not scanned.
    const key = await admin.post<{ id: string; key: string }>(`/admin/v1/tenants/${tenant.body.id}/keys`, {
      name: 'k',
    });
    const token = await admin.post<{ id: string; token: string }>(
      `/admin/v1/tenants/${tenant.body.id}/admin-tokens`,
      { name: 't', role: 'owner' },
    );
    const rotatedKey = await admin.post<{ key: string }>(`/admin/v1/keys/${key.body.id}/rotate`, {
      grace_seconds: 60,
    });
    secrets.push(key.body.key, token.body.token, rotatedKey.body.key);

    const tenantAdmin = admin.withToken(token.body.token);
    record(await tenantAdmin.get(`/admin/v1/tenants/${tenant.body.id}/keys`));
    record(await tenantAdmin.request('PATCH', `/admin/v1/keys/${key.body.id}`, { rpm: 100 }));
    record(
      await admin.post(
        `/admin/v1/providers/${provider.body.id}/credentials/${provider.body.credentials[0].id}/rotate`,
        { api_key: ROTATED_UPSTREAM_KEY },
      ),
    );
    record(await admin.post(`/admin/v1/providers/${provider.body.id}/test`, {}));

    for (const secret of [key.body.key, rotatedKey.body.key]) {
      const call = await fetch(`${system.gatewayUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      });
      responses.push(await call.text());
    }
    upstream.serve(reply.json({ error: { message: 'boom' } }, 500));
    const failing = await fetch(`${system.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rotatedKey.body.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    responses.push(await failing.text());
    // Failed attempts with wrong secrets are logged and audited: they must not echo what was tried.
    responses.push((await admin.withToken(`${TEST_ADMIN_TOKEN}-typo`).get('/admin/v1/tenants')).text);
    responses.push(
      await (
        await fetch(`${system.gatewayUrl}/v1/models`, {
          headers: { authorization: `Bearer ${key.body.key}x` },
        })
      ).text(),
    );
    secrets.push(`${TEST_ADMIN_TOKEN}-typo`, `${key.body.key}x`);

    for (const path of [
      '/admin/v1/providers',
      '/admin/v1/audit-logs?limit=200',
      '/admin/v1/audit-logs?format=jsonl',
      '/admin/v1/requests?format=csv',
      '/admin/v1/keys',
    ]) {
      responses.push((await admin.get(path)).text);
    }
    await system.eventually(async () => (await system.db.query('SELECT 1 FROM usage_events')).length >= 3);
  });
  afterAll(async () => {
    await system?.stop();
    await upstream?.stop();
  });

  it('in no response', () => {
    expect(responses.length).toBeGreaterThan(10);
    for (const secret of secrets)
      for (const text of responses) expect(text.includes(secret) ? secret : null).toBeNull();
  });

  it('in no log line', () => {
    const logs = system.logs.text();
    expect(logs.length).toBeGreaterThan(1_000);
    for (const secret of secrets) expect(logs.includes(secret) ? secret : null).toBeNull();
  });

  it('in no database row (credentials encrypted, keys and tokens hashed)', async () => {
    const tables = await system.db.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
    );
    let scanned = 0;
    for (const { tablename } of tables) {
      const dump = JSON.stringify(await system.db.query(`SELECT * FROM ${tablename}`));
      scanned += dump.length;
      for (const secret of secrets)
        expect(dump.includes(secret) ? `${tablename}: ${secret}` : null).toBeNull();
    }
    expect(scanned).toBeGreaterThan(2_000);
  });
});
