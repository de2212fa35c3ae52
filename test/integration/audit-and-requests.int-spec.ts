import { TestSystem, TEST_ADMIN_TOKEN } from '../support/system';

interface AuditRow {
  id: string;
  tenant_id: string | null;
  actor: { type: string; id: string | null; role: string | null };
  action: string;
  target: { type: string | null; id: string | null };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
}
interface ListBody<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

describe('audit log and request log', () => {
  let system: TestSystem;
  let tenantId: string;

  beforeAll(async () => {
    system = await TestSystem.start({ worker: false, gateway: false });
    tenantId = (await system.adminClient.post<{ id: string }>('/admin/v1/tenants', { name: 'audited' })).body
      .id;
  });
  afterAll(async () => {
    await system?.stop();
  });

  const auditRows = async (query = ''): Promise<AuditRow[]> =>
    (await system.adminClient.get<ListBody<AuditRow>>(`/admin/v1/audit-logs?limit=200${query}`)).body.data;

  it('writes one row per mutation, with actor, target, redacted before/after, ip, user agent and request id', async () => {
    const created = await system.adminClient.request<{ id: string; key: string }>(
      'POST',
      `/admin/v1/tenants/${tenantId}/keys`,
      { name: 'svc', rpm: 60 },
      {
        'user-agent': 'audit-test/1.0',
        'x-request-id': 'audit-req-1',
      },
    );
    await system.adminClient.request('PATCH', `/admin/v1/keys/${created.body.id}`, {
      rpm: 120,
      budget: { amount_usd: '50.00', period: 'month' },
    });
    const rotated = await system.adminClient.post<{ id: string; key: string }>(
      `/admin/v1/keys/${created.body.id}/rotate`,
      { grace_seconds: 60 },
    );
    await system.adminClient.delete(`/admin/v1/keys/${rotated.body.id}`);
    await system.adminClient.request('PATCH', `/admin/v1/tenants/${tenantId}`, { status: 'suspended' });
    await system.adminClient.request('PATCH', `/admin/v1/tenants/${tenantId}`, { status: 'active' });

    const rows = await auditRows(`&tenant_id=${tenantId}`);
    expect(rows.map((row) => row.action).reverse()).toEqual([
      'tenant.create',
      'api_key.create',
      'api_key.update',
      'api_key.rotate', // one row per call; it names the successor in `after.rotated_to_id`
      'api_key.revoke',
      'tenant.suspend',
      'tenant.reactivate',
    ]);
    const create = rows.find((row) => row.action === 'api_key.create' && row.target.id === created.body.id)!;
    expect(create).toMatchObject({
      tenant_id: tenantId,
      actor: { type: 'platform', id: 'env', role: 'owner' },
      target: { type: 'api_key', id: created.body.id },
      user_agent: 'audit-test/1.0',
      request_id: 'audit-req-1',
      before: null,
    });
    expect(create.ip).toMatch(/127\.0\.0\.1/);
    expect(create.after).toMatchObject({ name: 'svc', rpm: 60, status: 'active' });
    expect(rows.find((row) => row.action === 'api_key.rotate')!.after).toMatchObject({
      rotated_to_id: rotated.body.id,
      grace_seconds: 60,
    });
    const update = rows.find((row) => row.action === 'api_key.update')!;
    expect(update.before).toMatchObject({ rpm: 60, budget: null });
    expect(update.after).toMatchObject({ rpm: 120, budget: { amount_usd: '50.00', period: 'month' } });

    // No secret in any audit row: neither the key nor its hash, nor the admin token.
    const everything = JSON.stringify(await system.db.query('SELECT * FROM audit_logs'));
    expect(everything).not.toContain(created.body.key);
    expect(everything).not.toContain(rotated.body.key);
    expect(everything).not.toContain(TEST_ADMIN_TOKEN);
    const [keyRow] = await system.db.query<{ key_hash: string }>(
      'SELECT key_hash FROM api_keys WHERE id = $1',
      [created.body.id],
    );
    expect(everything).not.toContain(keyRow.key_hash.trim());
  });

  it('records failed admin authentication as a security event', async () => {
    await system.adminClient
      .withToken('not-a-valid-token-at-all')
      .request('GET', '/admin/v1/tenants', undefined, { 'user-agent': 'attacker' });
    const rows = await system.eventually(async () => {
      const found = (await auditRows('&action=admin.auth.failed')).filter(
        (row) => row.user_agent === 'attacker',
      );
      return found.length ? found : null;
    });
    expect(rows[0]).toMatchObject({
      actor: { type: 'anonymous' },
      target: { type: 'route', id: 'GET /admin/v1/tenants' },
    });
    expect(JSON.stringify(rows)).not.toContain('not-a-valid-token-at-all');
  });

  it('filters by action prefix, actor and time, and pages with a cursor', async () => {
    const keyActions = await auditRows('&action=api_key.*');
    expect(keyActions.length).toBeGreaterThanOrEqual(4);
    expect(keyActions.every((row) => row.action.startsWith('api_key.'))).toBe(true);
    expect((await auditRows('&actor=env')).every((row) => row.actor.id === 'env')).toBe(true);
    expect(await auditRows(`&from=${new Date(Date.now() + 60_000).toISOString()}`)).toEqual([]);

    const first = await system.adminClient.get<ListBody<AuditRow>>('/admin/v1/audit-logs?limit=3');
    const second = await system.adminClient.get<ListBody<AuditRow>>(
      `/admin/v1/audit-logs?limit=3&cursor=${first.body.next_cursor}`,
    );
    expect(first.body.has_more).toBe(true);
    const ids = [...first.body.data, ...second.body.data].map((row) => row.id);
    expect(new Set(ids).size).toBe(6);
    expect(Number(ids[0])).toBeGreaterThan(Number(ids[5]));
  });

  it('exports as CSV and JSONL, streamed, every matching row', async () => {
    const total = (
      await system.db.query<{ n: string }>(`SELECT count(*) AS n FROM audit_logs WHERE tenant_id = $1`, [
        tenantId,
      ])
    )[0].n;
    const csv = await system.adminClient.request(
      'GET',
      `/admin/v1/audit-logs?tenant_id=${tenantId}`,
      undefined,
      { accept: 'text/csv' },
    );
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'id,created_at,tenant_id,actor_type,actor_id,actor_role,action,target_type,target_id,before,after,ip,user_agent,request_id,prev_hash,hash',
    );
    expect(lines).toHaveLength(Number(total) + 1);

    const jsonl = await system.adminClient.get(`/admin/v1/audit-logs?tenant_id=${tenantId}&format=jsonl`);
    const records = jsonl.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action: string });
    expect(records).toHaveLength(Number(total));
    expect(records[0].action).toBe('tenant.create');
  });

  it('verifies the hash chain, and detects a row changed behind its back', async () => {
    const valid = await system.adminClient.get<{ valid: boolean; rows: number; breaks: unknown[] }>(
      '/admin/v1/audit-logs/verify',
    );
    expect(valid.body.valid).toBe(true);
    expect(valid.body.rows).toBeGreaterThan(5);

    // Only a database owner disabling the trigger can change a row; the chain still notices.
    const [victim] = await system.db.query<{ id: string }>(
      `SELECT id FROM audit_logs WHERE action = 'api_key.update' LIMIT 1`,
    );
    await system.db.query('ALTER TABLE audit_logs DISABLE TRIGGER audit_logs_append_only');
    await system.db.query(`UPDATE audit_logs SET after = jsonb_set(after, '{rpm}', '1000') WHERE id = $1`, [
      victim.id,
    ]);
    await system.db.query('ALTER TABLE audit_logs ENABLE TRIGGER audit_logs_append_only');

    const tampered = await system.adminClient.get<{
      valid: boolean;
      breaks: Array<{ row_id: string; reason: string; tenant_id: string }>;
    }>('/admin/v1/audit-logs/verify');
    expect(tampered.body.valid).toBe(false);
    expect(tampered.body.breaks).toEqual([
      { tenant_id: tenantId, row_id: victim.id, reason: 'hash_mismatch' },
    ]);
  });

  describe('request log', () => {
    async function seed(requestId: string, overrides: Record<string, unknown>): Promise<void> {
      const row = {
        request_id: requestId,
        tenant_id: tenantId,
        api_key_id: '00000000-0000-0000-0000-00000000000a',
        model: 'gpt-4o',
        protocol: 'openai.chat',
        input_tokens: 10,
        cached_input_tokens: 0,
        cache_write_tokens: 0,
        output_tokens: 5,
        reasoning_tokens: 0,
        usage_estimated: false,
        cost_nano_usd: '70',
        price_nano_usd: '75',
        outcome: 'success',
        status: 200,
        stream: false,
        latency_ms: 12,
        started_at: '2026-11-29T10:00:00Z',
        ...overrides,
      };
      const columns = Object.keys(row);
      await system.db.query(
        `INSERT INTO usage_events (${columns.join(',')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(',')})`,
        Object.values(row),
      );
    }

    beforeAll(async () => {
      await seed('r-ok-1', { started_at: '2026-11-29T10:00:01Z' });
      await seed('r-ok-2', { started_at: '2026-11-29T10:00:02Z', model: 'claude-sonnet-4-5' });
      await seed('r-429', {
        started_at: '2026-11-29T10:00:03Z',
        status: 429,
        outcome: 'gateway_error',
        error_code: 'limit.rate',
      });
      await seed('r-502', { started_at: '2026-11-29T10:00:04Z', status: 502, outcome: 'upstream_error' });
      await seed('r-other', {
        started_at: '2026-11-29T10:00:05Z',
        tenant_id: '00000000-0000-0000-0000-0000000000bb',
      });
    });

    const ids = async (query: string): Promise<string[]> =>
      (
        await system.adminClient.get<ListBody<{ request_id: string }>>(`/admin/v1/requests?${query}`)
      ).body.data.map((row) => row.request_id);

    it('filters by tenant, model, status class, outcome and time, newest first', async () => {
      expect(await ids(`tenant_id=${tenantId}`)).toEqual(['r-502', 'r-429', 'r-ok-2', 'r-ok-1']);
      expect(await ids(`tenant_id=${tenantId}&model=claude-sonnet-4-5`)).toEqual(['r-ok-2']);
      expect(await ids('status=5xx')).toEqual(['r-502']);
      expect(await ids('status=429')).toEqual(['r-429']);
      expect(await ids('status=success&from=2026-11-29T10:00:02Z&to=2026-11-29T10:00:05Z')).toEqual([
        'r-ok-2',
      ]);
      expect((await system.adminClient.get('/admin/v1/requests?status=teapot')).status).toBe(400);
    });

    it('shows money as exact USD strings and pages with a cursor', async () => {
      const page = await system.adminClient.get<
        ListBody<{ request_id: string; price_usd: string; cost_usd: string }>
      >(`/admin/v1/requests?tenant_id=${tenantId}&limit=3`);
      expect(page.body.data[0]).toMatchObject({ price_usd: '0.000000075', cost_usd: '0.00000007' });
      expect(page.body.has_more).toBe(true);
      expect(await ids(`tenant_id=${tenantId}&limit=3&cursor=${page.body.next_cursor}`)).toEqual(['r-ok-1']);
    });

    it('exports CSV with exact nano-USD integers', async () => {
      const csv = await system.adminClient.get(`/admin/v1/requests?tenant_id=${tenantId}&format=csv`);
      const lines = csv.text.trim().split('\n');
      expect(lines).toHaveLength(5);
      expect(lines[0].split(',')).toContain('price_nano_usd');
      expect(lines[1]).toContain('r-ok-1');
      expect(lines[1]).toContain(',75,70,');
    });
  });
});
