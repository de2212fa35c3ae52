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
    const config = loadConfig({ SECRETS_KEY: 'n'.repeat(32), SECRETS_KEY_VERSION: '2', SECRETS_PREVIOUS_KEYS: `1:${old}` });
    expect(config.secrets.current).toEqual({ version: 2, secret: 'n'.repeat(32) });
    expect(config.secrets.previous).toEqual([{ version: 1, secret: old }]);
    expect(() => loadConfig({ SECRETS_PREVIOUS_KEYS: 'x:short' })).toThrow(/SECRETS_PREVIOUS_KEYS/);
  });

  it('turns provider env shortcuts into declarations', () => {
    const config = loadConfig({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', XAI_API_KEY: 'xai-1' });
    expect(config.declarative.providers).toEqual([
      { name: 'openai', apiKey: 'sk-test', baseUrl: 'http://127.0.0.1:9/v1' },
      { name: 'xai', apiKey: 'xai-1', baseUrl: undefined },
    ]);
  });
});
