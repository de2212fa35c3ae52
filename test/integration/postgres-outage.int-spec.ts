import { FakeUpstream, reply } from '../fakes/fake-upstream';
import { TestSystem } from '../support/system';

/**
 * Postgres goes away: the gateway keeps serving the keys and models it has cached, answers a
 * retryable 503 for what it cannot check, reports not ready, and loses no usage: the worker's
 * jobs retry until Postgres is back and record each request once.
 */
describe('Postgres outage', () => {
  let system: TestSystem;
  let upstream: FakeUpstream;
  let tenantId: string;

  beforeAll(async () => {
    system = await TestSystem.start();
    upstream = await FakeUpstream.start();
    upstream.serve(reply.fixture('openai-chat-text.json'));
    await system.adminClient.providerAndModel({ baseUrl: upstream.v1, model: 'gpt-4o' });
    tenantId = (await system.adminClient.post<{ id: string }>('/admin/v1/tenants', { name: 'outage' })).body
      .id;
  });
  afterAll(async () => {
    await system?.db.unblock();
    await system?.stop();
    await upstream?.stop();
  });

  const newKey = async (): Promise<string> =>
    (await system.adminClient.post<{ key: string }>(`/admin/v1/tenants/${tenantId}/keys`, { name: 'k' })).body
      .key;
  const chat = (key: string, requestId: string): Promise<Response> =>
    fetch(`${system.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'x-request-id': requestId,
      },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('serves cached keys, 503s the rest, and records every request once Postgres is back', async () => {
    const cached = await newKey();
    const uncached = await newKey();
    expect((await chat(cached, 'pg-warmup')).status).toBe(200);

    await system.db.block();
    for (let i = 0; i < 3; i++) expect((await chat(cached, `pg-down-${i}`)).status).toBe(200);

    const refused = await chat(uncached, 'pg-uncached');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('service_unavailable');

    const ready = await fetch(`${system.gatewayUrl}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { postgres: false } });

    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the worker's first attempts fail meanwhile
    await system.db.unblock();
    const recorded = await system.eventually(async () => {
      const rows = await system.db.query<{ request_id: string }>(
        "SELECT request_id FROM usage_events WHERE request_id LIKE 'pg-%' ORDER BY request_id",
      );
      return rows.length === 4 ? rows : null;
    }, 25_000);
    expect(recorded.map((row) => row.request_id)).toEqual([
      'pg-down-0',
      'pg-down-1',
      'pg-down-2',
      'pg-warmup',
    ]);
    expect((await chat(uncached, 'pg-after')).status).toBe(200);
  }, 60_000);
});
