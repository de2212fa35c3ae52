import { TestSystem } from '../support/system';

interface ErrorBody {
  error: { type: string; message: string; details: Record<string, string> };
}

/** The operator picks an openai_compatible server's quirks by name; a wrong name is a 400, never a silent default. */
describe('admin providers: kinds and compat profiles', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start({ worker: false });
  });

  afterAll(async () => {
    await system?.stop();
  });

  const create = (body: Record<string, unknown>) =>
    system.adminClient.post<ErrorBody & { profile: string | null; kind: string }>('/admin/v1/providers', {
      api_key: 'sk-test-upstream',
      ...body,
    });

  it('accepts every built-in profile for openai_compatible, and anthropic / gemini at their host root', async () => {
    for (const profile of ['deepseek', 'xai', 'qwen', 'vllm', 'ollama', 'groq', 'together', 'generic']) {
      const created = await create({
        name: `compat-${profile}`,
        kind: 'openai_compatible',
        base_url: 'http://127.0.0.1:9/v1',
        profile,
      });
      expect(created.status).toBe(201);
      expect(created.body.profile).toBe(profile);
    }
    expect(
      (await create({ name: 'claude', kind: 'anthropic', base_url: 'https://api.anthropic.com' })).status,
    ).toBe(201);
    expect(
      (
        await create({
          name: 'google',
          kind: 'gemini',
          base_url: 'https://generativelanguage.googleapis.com',
        })
      ).status,
    ).toBe(201);
  });

  it('refuses an unknown profile with a 400 naming the field and the choices', async () => {
    const response = await create({
      name: 'typo',
      kind: 'openai_compatible',
      base_url: 'http://127.0.0.1:9/v1',
      profile: 'deepsek',
    });
    expect(response.status).toBe(400);
    expect(response.body.error.type).toBe('invalid_request');
    expect(response.body.error.details.profile).toContain('deepseek');
  });

  it('refuses a profile on a kind that has none', async () => {
    const response = await create({
      name: 'claude-profiled',
      kind: 'anthropic',
      base_url: 'https://api.anthropic.com',
      profile: 'deepseek',
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details.profile).toBe('only for kind openai_compatible');
  });
});
