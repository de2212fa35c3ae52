import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({}, '/srv/sy');
    expect(config.database.url).toBe('postgres://root@127.0.0.1:5432/switchyard');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.gateway.port).toBe(8080);
    expect(config.admin.port).toBe(8081);
    expect(config.admin.bootstrapToken).toBeUndefined();
    expect(config.metering.outboxDir).toBe('/srv/sy/.switchyard/outbox');
  });

  it('reads ports and limits as numbers', () => {
    const config = loadConfig({ GATEWAY_PORT: '9000', GATEWAY_MAX_BODY_BYTES: '2048' });
    expect(config.gateway.port).toBe(9000);
    expect(config.gateway.maxBodyBytes).toBe(2048);
  });

  it('names every bad variable at once and never echoes a value', () => {
    const secret = 'short-secret-value';
    let thrown: unknown;
    try {
      loadConfig({ GATEWAY_PORT: 'eighty', SECRETS_KEY: secret, REDIS_URL: 'http://nope' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const message = (thrown as ConfigError).message;
    expect(message).toContain('GATEWAY_PORT');
    expect(message).toContain('SECRETS_KEY');
    expect(message).toContain('REDIS_URL');
    expect(message).not.toContain(secret);
    expect(message).not.toContain('http://nope');
  });

  it('requires SECRETS_KEY in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SECRETS_KEY is required/);
  });

  it('parses previous master keys by version', () => {
    const old = 'o'.repeat(32);
    const config = loadConfig({
      SECRETS_KEY: 'n'.repeat(32),
      SECRETS_KEY_VERSION: '2',
      SECRETS_PREVIOUS_KEYS: `1:${old}`,
    });
    expect(config.secrets.current).toEqual({ version: 2, secret: 'n'.repeat(32) });
    expect(config.secrets.previous).toEqual([{ version: 1, secret: old }]);
    expect(() => loadConfig({ SECRETS_PREVIOUS_KEYS: 'x:short' })).toThrow(/SECRETS_PREVIOUS_KEYS/);
  });

  it('turns provider env shortcuts into declarations', () => {
    const config = loadConfig({
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      XAI_API_KEY: 'xai-1',
    });
    expect(config.declarative.providers).toEqual([
      { name: 'openai', apiKey: 'sk-test', baseUrl: 'http://127.0.0.1:9/v1' },
      { name: 'xai', apiKey: 'xai-1', baseUrl: undefined },
    ]);
  });
});

describe('switchyard.yaml', () => {
  const { mkdtempSync, writeFileSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
  const { join } = jest.requireActual<typeof import('node:path')>('node:path');
  const { tmpdir } = jest.requireActual<typeof import('node:os')>('node:os');

  function withFile(text: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'sy-config-'));
    writeFileSync(join(dir, 'switchyard.yaml'), text);
    return dir;
  }

  it('is read from the working directory and interpolates ${VAR} from the environment', () => {
    const dir = withFile(`
providers:
  - { name: acme, kind: openai_compatible, base_url: "http://127.0.0.1:1/v1", api_key: "\${ACME_KEY}" }
models:
  - name: acme-large
    prices: { input: "1.00", output: "2.00" }
    deployments: [{ provider: acme, upstream_model: large-v2 }]
`);
    const config = loadConfig({ ACME_KEY: 'sk-acme' }, dir);
    expect(config.declarative.file?.providers[0]).toMatchObject({ name: 'acme', api_key: 'sk-acme' });
    expect(config.declarative.file?.models[0].deployments[0]).toEqual({
      provider: 'acme',
      upstream_model: 'large-v2',
    });
  });

  it('reports every problem by path and never prints an interpolated secret', () => {
    const dir = withFile(`
providers:
  - { name: acme, kind: 3, api_key: "\${ACME_KEY}" }
models:
  - { name: m, prices: { input: 1.5, output: "2" }, deployments: [] }
  - { name: n, prices: { input: "1", output: "2" }, deployments: [{ provider: "\${MISSING}" }] }
`);
    let message = '';
    try {
      loadConfig({ ACME_KEY: 'sk-very-secret' }, dir);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('providers[0].kind must be a non-empty string');
    expect(message).toContain('models[0].prices.input must be a decimal string');
    expect(message).toContain('models[0].deployments must be a non-empty list');
    expect(message).toContain('${MISSING}');
    expect(message).not.toContain('sk-very-secret');
  });
});
