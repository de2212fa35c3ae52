import { Test } from '@nestjs/testing';
import { Module } from '@nestjs/common';
import { AuditModule } from '@switchyard/audit';
import { CatalogAdminModule, CredentialVault } from '@switchyard/catalog';
import { ConfigModule, loadConfig } from '@switchyard/config';
import { CryptoModule, KeyRing } from '@switchyard/crypto';
import { DatabaseModule } from '@switchyard/database';
import { RedisModule } from '@switchyard/redis';
import { FakeUpstream, presentedKey, reply } from '../fakes/fake-upstream';
import { TestSystem } from '../support/system';

interface CredentialView {
  id: string;
  hint: string;
  status: string;
  key_version: number;
}

const FIRST = 'sk-vault-first-0000000000001';
const SECOND = 'sk-vault-second-000000000002';
const THIRD = 'sk-vault-third-0000000000003';

describe('upstream credential vault', () => {
  let system: TestSystem;
  let upstream: FakeUpstream;
  let providerId: string;
  let key: string;

  beforeAll(async () => {
    system = await TestSystem.start({ worker: false });
    upstream = await FakeUpstream.start();
    upstream.serve(reply.fixture('openai-chat-text.json'));
    ({ providerId } = await system.adminClient.providerAndModel({
      baseUrl: upstream.v1,
      model: 'gpt-4o',
      apiKey: FIRST,
      providerName: 'vaulted',
    }));
    ({ key } = await system.adminClient.tenantWithKey());
  });
  afterAll(async () => {
    await system?.stop();
    await upstream?.stop();
  });

  const credentials = async (): Promise<CredentialView[]> =>
    (await system.adminClient.get<{ credentials: CredentialView[] }>(`/admin/v1/providers/${providerId}`))
      .body.credentials;

  /** Which upstream credentials `n` gateway requests used. */
  async function usedKeys(n: number): Promise<Set<string>> {
    const before = upstream.requests.length;
    for (let i = 0; i < n; i++) {
      const response = await fetch(`${system.gatewayUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(response.status).toBe(200);
    }
    return new Set(upstream.requests.slice(before).map(presentedKey));
  }

  it('uses every active credential in turn once one is added, without a restart', async () => {
    expect(await usedKeys(2)).toEqual(new Set([FIRST]));
    const added = await system.adminClient.post<CredentialView>(
      `/admin/v1/providers/${providerId}/credentials`,
      { api_key: SECOND, label: 'second org' },
    );
    expect(added.status).toBe(201);
    expect(added.text).not.toContain(SECOND);
    await system.eventually(async () => (await usedKeys(4)).size === 2, 2_000);
  });

  it('stops using a disabled credential within a second, and refuses to disable the last one', async () => {
    const [first, second] = await credentials();
    const disabled = await system.adminClient.request<CredentialView>(
      'PATCH',
      `/admin/v1/providers/${providerId}/credentials/${first.id}`,
      { status: 'disabled' },
    );
    expect(disabled.body.status).toBe('disabled');
    await system.eventually(async () => {
      const used = await usedKeys(3);
      return used.size === 1 && used.has(SECOND);
    }, 1_000);
    const last = await system.adminClient.request(
      'PATCH',
      `/admin/v1/providers/${providerId}/credentials/${second.id}`,
      { status: 'disabled' },
    );
    expect(last.status).toBe(409);
  });

  it('rotates a credential atomically and audits it without the secret', async () => {
    const active = (await credentials()).find((credential) => credential.status === 'active')!;
    const rotated = await system.adminClient.post<CredentialView>(
      `/admin/v1/providers/${providerId}/credentials/${active.id}/rotate`,
      { api_key: THIRD },
    );
    expect(rotated.status).toBe(201);
    expect(rotated.body.hint).toBe('…0003');
    await system.eventually(async () => {
      const used = await usedKeys(3);
      return used.size === 1 && used.has(THIRD);
    }, 1_000);

    const audit = await system.db.query<{ action: string; before: unknown; after: unknown }>(
      "SELECT action, before, after FROM audit_logs WHERE action LIKE 'provider.credential.%' ORDER BY id",
    );
    expect(audit.map((row) => row.action)).toEqual([
      'provider.credential.add',
      'provider.credential.disable',
      'provider.credential.rotate',
    ]);
    const text = JSON.stringify(await system.db.query('SELECT * FROM audit_logs'));
    for (const secret of [FIRST, SECOND, THIRD]) expect(text).not.toContain(secret);
  });

  it('tests connectivity with each active credential, naming the refused one', async () => {
    upstream.serve(reply.json({ object: 'list', data: [] }));
    const ok = await system.adminClient.post<{
      ok: boolean;
      results: Array<{ ok: boolean; status: number }>;
    }>(`/admin/v1/providers/${providerId}/test`, {});
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, results: [{ ok: true, status: 200 }] });
    expect(upstream.last().path).toBe('/v1/models');

    upstream.refusedKeys.add(THIRD);
    const refused = await system.adminClient.post<{
      ok: boolean;
      results: Array<{ ok: boolean; error: string }>;
    }>(`/admin/v1/providers/${providerId}/test`, {});
    expect(refused.body.ok).toBe(false);
    expect(refused.body.results[0].error).toBe('the upstream refused this credential');
    expect(refused.text).not.toContain(THIRD);
    upstream.refusedKeys.clear();
    upstream.serve(reply.fixture('openai-chat-text.json'));
  });

  it('re-encrypts every credential under a new master key version', async () => {
    const previous = system.config.secrets.current!;
    const config = loadConfig({
      DATABASE_URL: system.db.url,
      REDIS_URL: system.config.redis.url,
      REDIS_KEY_PREFIX: system.redisPrefix,
      SECRETS_KEY: 'the-new-master-key-for-version-two-0123',
      SECRETS_KEY_VERSION: '2',
      SECRETS_PREVIOUS_KEYS: `${previous.version}:${previous.secret}`,
    });
    @Module({
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        CryptoModule,
        AuditModule,
        CatalogAdminModule,
      ],
    })
    class Maintenance {}
    const app = await Test.createTestingModule({ imports: [Maintenance] })
      .setLogger(system.logs.logger)
      .compile();
    await app.init();
    try {
      const result = await app.get(CredentialVault).reencryptAll();
      expect(result).toEqual({ reencrypted: 3, alreadyCurrent: 0 });
      expect(await app.get(CredentialVault).reencryptAll()).toEqual({ reencrypted: 0, alreadyCurrent: 3 });
    } finally {
      await app.close();
    }
    const rows = await system.db.query<{
      key_version: number;
      ciphertext: Buffer;
      provider_id: string;
      status: string;
    }>('SELECT key_version, ciphertext, provider_id, status FROM provider_credentials ORDER BY created_at');
    expect(rows.map((row) => row.key_version)).toEqual([2, 2, 2]);
    // Readable with the new key alone: the old one can now leave SECRETS_PREVIOUS_KEYS.
    const newOnly = new KeyRing(2, [{ version: 2, secret: 'the-new-master-key-for-version-two-0123' }]);
    expect(
      rows.map((row) =>
        newOnly.open({ keyVersion: 2, ciphertext: row.ciphertext }, `provider:${row.provider_id}`),
      ),
    ).toEqual([FIRST, SECOND, THIRD]);
  });
});
