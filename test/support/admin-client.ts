export interface AdminResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  text: string;
}

/** A thin client for the admin API: JSON in, status + JSON out, nothing hidden. */
export class AdminClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | null,
  ) {}

  withToken(token: string | null): AdminClient {
    return new AdminClient(this.baseUrl, token);
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<AdminResponse<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null; // not JSON: the caller asserts on `text`
    }
    return { status: response.status, body: parsed as T, text };
  }

  get<T = Record<string, unknown>>(path: string): Promise<AdminResponse<T>> {
    return this.request<T>('GET', path);
  }
  post<T = Record<string, unknown>>(path: string, body: unknown): Promise<AdminResponse<T>> {
    return this.request<T>('POST', path, body);
  }
  delete<T = Record<string, unknown>>(path: string): Promise<AdminResponse<T>> {
    return this.request<T>('DELETE', path);
  }

  /** Creates a tenant with one key, for tests that need a caller. */
  async tenantWithKey(name = 'acme'): Promise<{ tenantId: string; keyId: string; key: string }> {
    const tenant = await this.post<{ id: string }>('/admin/v1/tenants', { name });
    const key = await this.post<{ id: string; key: string }>(`/admin/v1/tenants/${tenant.body.id}/keys`, {
      name: 'test key',
    });
    if (tenant.status !== 201 || key.status !== 201)
      throw new Error(`setup failed: ${tenant.text} ${key.text}`);
    return { tenantId: tenant.body.id, keyId: key.body.id, key: key.body.key };
  }

  /** Registers `baseUrl` as an openai-kind provider and a model served by it. */
  async providerAndModel(options: {
    baseUrl: string;
    model?: string;
    upstreamModel?: string;
    kind?: string;
    prices?: Record<string, string>;
    costs?: Record<string, string>;
    providerName?: string;
    apiKey?: string;
  }): Promise<{ providerId: string; modelId: string }> {
    const provider = await this.post<{ id: string }>('/admin/v1/providers', {
      name: options.providerName ?? `upstream-${Math.random().toString(36).slice(2, 8)}`,
      kind: options.kind ?? 'openai',
      base_url: options.baseUrl,
      api_key: options.apiKey ?? 'sk-upstream-test-secret-value',
    });
    const model = await this.post<{ id: string }>('/admin/v1/models', {
      name: options.model ?? 'gpt-4o',
      deployments: [
        {
          provider_id: provider.body.id,
          upstream_model: options.upstreamModel ?? 'gpt-4o-2024-08-06',
          priority: 0,
          weight: 1,
        },
      ],
      prices: options.prices ?? { input: '2.50', cached_input: '1.25', output: '10.00' },
      ...(options.costs ? { costs: options.costs } : {}),
    });
    if (provider.status !== 201 || model.status !== 201)
      throw new Error(`setup failed: ${provider.text} ${model.text}`);
    return { providerId: provider.body.id, modelId: model.body.id };
  }
}
