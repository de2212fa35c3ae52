import { AdminClient } from '../support/admin-client';
import { TestSystem } from '../support/system';

/**
 * Who may do what on the admin API, route by route. The table must list every route the app
 * serves (checked against the OpenAPI document), so a new endpoint cannot skip this suite.
 */
type Target =
  'tenant' | 'key' | 'admin_token' | 'provider' | 'credential' | 'model' | 'deployment' | 'price' | 'none';

interface RouteCase {
  target: Target;
  mutation: boolean;
  /** Only platform principals may call it at all. */
  platformOnly?: boolean;
  /** Among tenant principals, only owners. */
  ownerOnly?: boolean;
  body?: () => unknown;
}

const tokenBody = (): unknown => ({ name: 'ci', role: 'viewer' });

const ROUTES: Record<string, RouteCase> = {
  'POST /admin/v1/tenants': {
    target: 'none',
    mutation: true,
    platformOnly: true,
    body: () => ({ name: 'new co' }),
  },
  'GET /admin/v1/tenants': { target: 'none', mutation: false },
  'GET /admin/v1/tenants/{id}': { target: 'tenant', mutation: false },
  'PATCH /admin/v1/tenants/{id}': { target: 'tenant', mutation: true, body: () => ({ name: 'renamed' }) },
  'POST /admin/v1/tenants/{tenantId}/keys': { target: 'tenant', mutation: true, body: () => ({ name: 'k' }) },
  'GET /admin/v1/tenants/{tenantId}/keys': { target: 'tenant', mutation: false },
  'POST /admin/v1/tenants/{tenantId}/admin-tokens': {
    target: 'tenant',
    mutation: true,
    ownerOnly: true,
    body: tokenBody,
  },
  'GET /admin/v1/tenants/{tenantId}/admin-tokens': { target: 'tenant', mutation: false },
  'GET /admin/v1/keys': { target: 'none', mutation: false },
  'GET /admin/v1/keys/{id}': { target: 'key', mutation: false },
  'PATCH /admin/v1/keys/{id}': { target: 'key', mutation: true, body: () => ({ rpm: 5 }) },
  'POST /admin/v1/keys/{id}/rotate': { target: 'key', mutation: true, body: () => ({ grace_seconds: 0 }) },
  'DELETE /admin/v1/keys/{id}': { target: 'key', mutation: true },
  'POST /admin/v1/admin-tokens': { target: 'none', mutation: true, platformOnly: true, body: tokenBody },
  'GET /admin/v1/admin-tokens': { target: 'none', mutation: false, platformOnly: true },
  'DELETE /admin/v1/admin-tokens/{id}': { target: 'admin_token', mutation: true, ownerOnly: true },
  'POST /admin/v1/providers': {
    target: 'none',
    mutation: true,
    platformOnly: true,
    body: () => ({
      name: `p${Date.now()}`,
      kind: 'openai',
      base_url: 'http://127.0.0.1:9/v1',
      api_key: 'sk-x',
    }),
  },
  'GET /admin/v1/providers': { target: 'none', mutation: false, platformOnly: true },
  'GET /admin/v1/providers/{id}': { target: 'provider', mutation: false, platformOnly: true },
  'POST /admin/v1/providers/{id}/credentials': {
    target: 'provider',
    mutation: true,
    platformOnly: true,
    body: () => ({ api_key: 'sk-another' }),
  },
  'PATCH /admin/v1/providers/{id}/credentials/{credentialId}': {
    target: 'credential',
    mutation: true,
    platformOnly: true,
    body: () => ({ status: 'active' }),
  },
  'POST /admin/v1/providers/{id}/credentials/{credentialId}/rotate': {
    target: 'credential',
    mutation: true,
    platformOnly: true,
    body: () => ({ api_key: 'sk-new' }),
  },
  'POST /admin/v1/providers/{id}/test': {
    target: 'provider',
    mutation: false,
    platformOnly: true,
    body: () => ({}),
  },
  'PATCH /admin/v1/providers/{id}': {
    target: 'provider',
    mutation: true,
    platformOnly: true,
    body: () => ({ status: 'active' }),
  },
  'PATCH /admin/v1/models/{id}': {
    target: 'model',
    mutation: true,
    platformOnly: true,
    body: () => ({ context_window: 1000 }),
  },
  'DELETE /admin/v1/models/{id}': { target: 'model', mutation: true, platformOnly: true },
  'POST /admin/v1/models/{id}/deployments': {
    target: 'model',
    mutation: true,
    platformOnly: true,
    body: () => ({ provider_id: '00000000-0000-0000-0000-000000000000', upstream_model: 'x' }),
  },
  'PATCH /admin/v1/models/{id}/deployments/{deploymentId}': {
    target: 'deployment',
    mutation: true,
    platformOnly: true,
    body: () => ({ weight: 2 }),
  },
  'DELETE /admin/v1/models/{id}/deployments/{deploymentId}': {
    target: 'deployment',
    mutation: true,
    platformOnly: true,
  },
  'GET /admin/v1/tenants/{tenantId}/prices': { target: 'tenant', mutation: false },
  'PUT /admin/v1/tenants/{tenantId}/prices/{modelId}': {
    target: 'price',
    mutation: true,
    platformOnly: true,
    body: () => ({ input: '1', output: '2' }),
  },
  'DELETE /admin/v1/tenants/{tenantId}/prices/{modelId}': {
    target: 'price',
    mutation: true,
    platformOnly: true,
  },
  'POST /admin/v1/models': {
    target: 'none',
    mutation: true,
    platformOnly: true,
    body: () => ({ name: 'x' }),
  },
  'GET /admin/v1/models': { target: 'none', mutation: false, platformOnly: true },
  'GET /admin/v1/models/{id}': { target: 'model', mutation: false, platformOnly: true },
  'GET /admin/v1/audit-logs': { target: 'none', mutation: false },
  'GET /admin/v1/audit-logs/verify': { target: 'none', mutation: false },
  'GET /admin/v1/requests': { target: 'none', mutation: false },
};

describe('admin access control: roles and tenant isolation, route by route', () => {
  let system: TestSystem;
  let platform: AdminClient;
  const tenantTokens = new Map<'owner' | 'admin' | 'viewer', AdminClient>();
  const tokenOf = (role: 'owner' | 'admin' | 'viewer'): AdminClient => tenantTokens.get(role)!;
  let platformViewer: AdminClient;
  let tenantA: string;
  let tenantB: string;
  let providerId: string;
  let credentialId: string;
  let modelId: string;
  let deploymentId: string;

  beforeAll(async () => {
    system = await TestSystem.start({ worker: false, gateway: false });
    platform = system.adminClient;
    tenantA = (await platform.post<{ id: string }>('/admin/v1/tenants', { name: 'tenant A' })).body.id;
    tenantB = (await platform.post<{ id: string }>('/admin/v1/tenants', { name: 'tenant B' })).body.id;
    for (const role of ['owner', 'admin', 'viewer'] as const) {
      const issued = await platform.post<{ token: string }>(`/admin/v1/tenants/${tenantA}/admin-tokens`, {
        name: `A ${role}`,
        role,
      });
      expect(issued.status).toBe(201);
      tenantTokens.set(role, platform.withToken(issued.body.token));
    }
    platformViewer = platform.withToken(
      (await platform.post<{ token: string }>('/admin/v1/admin-tokens', { name: 'auditor', role: 'viewer' }))
        .body.token,
    );
    const provider = await platform.post<{ id: string }>('/admin/v1/providers', {
      name: 'shared',
      kind: 'openai',
      base_url: 'http://127.0.0.1:9/v1',
      api_key: 'sk-shared-secret',
    });
    providerId = provider.body.id;
    credentialId = (
      await platform.get<{ credentials: Array<{ id: string }> }>(`/admin/v1/providers/${providerId}`)
    ).body.credentials[0].id;
    const model = await platform.post<{ id: string; deployments: Array<{ id: string }> }>(
      '/admin/v1/models',
      {
        name: 'shared-model',
        deployments: [{ provider_id: providerId, upstream_model: 'x' }],
        prices: { input: '1', output: '1' },
      },
    );
    modelId = model.body.id;
    deploymentId = model.body.deployments[0].id;
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** A fresh object of `target` kind owned by `tenantId`, made with the platform token. */
  async function fresh(
    target: Target,
    tenantId: string,
  ): Promise<{ path: (template: string) => string; marker: string }> {
    let id = '';
    switch (target) {
      case 'tenant':
        id = tenantId;
        break;
      case 'key':
        id = (await platform.post<{ id: string }>(`/admin/v1/tenants/${tenantId}/keys`, { name: 'fixture' }))
          .body.id;
        break;
      case 'admin_token':
        id = (
          await platform.post<{ id: string }>(`/admin/v1/tenants/${tenantId}/admin-tokens`, {
            name: 'fixture',
            role: 'viewer',
          })
        ).body.id;
        break;
      case 'provider':
        id = providerId;
        break;
      case 'model':
        id = modelId;
        break;
      case 'credential':
        return {
          path: (template) => template.replace('{id}', providerId).replace('{credentialId}', credentialId),
          marker: credentialId,
        };
      case 'deployment':
        return {
          path: (template) => template.replace('{id}', modelId).replace('{deploymentId}', deploymentId),
          marker: deploymentId,
        };
      case 'price':
        return {
          path: (template) => template.replace('{tenantId}', tenantId).replace('{modelId}', modelId),
          marker: tenantId,
        };
      case 'none':
        break;
    }
    return { path: (template) => template.replace(/\{[^}]+\}/, id), marker: id || tenantId };
  }

  it('has a case for every route the admin API serves', async () => {
    const document = (
      await platform
        .withToken(null)
        .get<{ paths: Record<string, Record<string, unknown>> }>('/admin/docs-json')
    ).body;
    const served = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(served.sort()).toEqual(Object.keys(ROUTES).sort());
  });

  describe.each(Object.entries(ROUTES))('%s', (route, spec) => {
    const [method, template] = route.split(' ');
    const call = async (
      client: AdminClient,
      tenantId: string,
    ): Promise<{ status: number; text: string; marker: string }> => {
      const target = await fresh(spec.target, tenantId);
      const response = await client.request(method, target.path(template), spec.body?.());
      return { status: response.status, text: response.text, marker: target.marker };
    };

    it('is 401 without a valid token', async () => {
      expect((await call(platform.withToken(null), tenantA)).status).toBe(401);
      expect(
        (await call(platform.withToken('sy-admin-forged-token-forged-token-1234'), tenantA)).status,
      ).toBe(401);
    });

    if (spec.mutation) {
      it('is 403 for viewers, platform and tenant alike', async () => {
        expect((await call(platformViewer, tenantA)).status).toBe(403);
        expect((await call(tokenOf('viewer'), tenantA)).status).toBe(403);
      });
    }

    if (spec.platformOnly) {
      it('is 403 for every tenant token', async () => {
        for (const client of [...tenantTokens.values()])
          expect((await call(client, tenantA)).status).toBe(403);
      });
    } else {
      if (spec.target !== 'none') {
        it("never reaches another tenant's object (403/404, and none of its data)", async () => {
          for (const client of [...tenantTokens.values()]) {
            const response = await call(client, tenantB);
            expect([403, 404]).toContain(response.status);
            expect(response.text).not.toContain(response.marker);
            expect(response.text).not.toContain(tenantB);
          }
        });
      } else {
        it("lists only the caller's own tenant", async () => {
          await fresh('key', tenantB); // something of B's to leak, if it could
          const response = await call(tokenOf('owner'), tenantA);
          expect(response.status).toBe(200);
          expect(response.text).not.toContain(tenantB);
        });
      }
      const allowed: Array<'owner' | 'admin' | 'viewer'> = spec.ownerOnly
        ? ['owner']
        : spec.mutation
          ? ['owner', 'admin']
          : ['owner', 'admin', 'viewer'];
      it(`works for the tenant's own ${allowed.join('/')} token`, async () => {
        for (const role of allowed) expect([200, 201]).toContain((await call(tokenOf(role), tenantA)).status);
        if (spec.ownerOnly) expect((await call(tokenOf('admin'), tenantA)).status).toBe(403);
      });
    }
  });

  it('lets a tenant owner grant only tokens of its own tenant, and a tenant token never touch platform tokens', async () => {
    const own = await tokenOf('owner').post<{ token: string; tenant_id: string }>(
      `/admin/v1/tenants/${tenantA}/admin-tokens`,
      { name: 'mine', role: 'admin' },
    );
    expect(own.status).toBe(201);
    expect(own.body.tenant_id).toBe(tenantA);
    expect(
      (
        await tokenOf('owner').post(`/admin/v1/tenants/${tenantB}/admin-tokens`, {
          name: 'theirs',
          role: 'owner',
        })
      ).status,
    ).toBe(404);
    const platformToken = await platform.post<{ id: string }>('/admin/v1/admin-tokens', {
      name: 'ops',
      role: 'admin',
    });
    expect((await tokenOf('owner').delete(`/admin/v1/admin-tokens/${platformToken.body.id}`)).status).toBe(
      404,
    );
  });

  it('refuses tenant tokens the platform-only tenant fields and lets them rename', async () => {
    expect(
      (await tokenOf('admin').request('PATCH', `/admin/v1/tenants/${tenantA}`, { status: 'suspended' }))
        .status,
    ).toBe(403);
    expect(
      (
        await tokenOf('admin').request('PATCH', `/admin/v1/tenants/${tenantA}`, {
          price_adjustment_bps: -5000,
        })
      ).status,
    ).toBe(403);
    const renamed = await tokenOf('admin').request<{ name: string }>(
      'PATCH',
      `/admin/v1/tenants/${tenantA}`,
      { name: 'A prime' },
    );
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('A prime');
  });

  it('stops accepting a revoked admin token at once', async () => {
    const issued = await platform.post<{ id: string; token: string }>(
      `/admin/v1/tenants/${tenantA}/admin-tokens`,
      { name: 'temp', role: 'viewer' },
    );
    const client = platform.withToken(issued.body.token);
    expect((await client.get(`/admin/v1/tenants/${tenantA}`)).status).toBe(200);
    expect((await platform.delete(`/admin/v1/admin-tokens/${issued.body.id}`)).status).toBe(200);
    expect((await client.get(`/admin/v1/tenants/${tenantA}`)).status).toBe(401);
  });
});
