import { CatalogDeployment, UpstreamAccount } from '@switchyard/catalog';
import { CredentialId, DeploymentId, nanoUsd, ProviderId } from '@switchyard/common';
import { COMPAT_PROFILES } from '@switchyard/protocols';
import { compatProfileOf, upstreamTarget } from './upstream-target';

function deployment(
  kind: UpstreamAccount['kind'],
  baseUrl: string,
  upstreamModel: string,
  profile: string | null = null,
): CatalogDeployment {
  const zero = nanoUsd(0n);
  return {
    id: 'd1' as DeploymentId,
    upstreamModel,
    priority: 0,
    weight: 1,
    costs: { input: zero, cachedInput: zero, cacheWrite: zero, output: zero },
    provider: {
      id: 'p1' as ProviderId,
      name: 'p',
      kind,
      profile,
      baseUrl,
      credentials: [{ id: 'c1' as CredentialId, secret: 'sk-secret' }],
    },
  };
}

describe('upstreamTarget: each kind with its own paths and credential header', () => {
  it('openai / openai_compatible append to a /v1 base URL with a Bearer key', () => {
    const openai = deployment('openai', 'https://api.openai.com/v1', 'gpt-4o');
    expect(upstreamTarget(openai, { kind: 'generate', wire: 'openai-chat', stream: true })).toEqual({
      url: 'https://api.openai.com/v1/chat/completions',
      headers: { authorization: 'Bearer sk-secret', 'content-type': 'application/json' },
    });
    expect(upstreamTarget(openai, { kind: 'generate', wire: 'openai-responses', stream: false }).url).toBe(
      'https://api.openai.com/v1/responses',
    );
    expect(
      upstreamTarget(deployment('openai_compatible', 'https://api.deepseek.com/v1', 'deepseek-chat'), {
        kind: 'embed',
        batch: true,
      }).url,
    ).toBe('https://api.deepseek.com/v1/embeddings');
  });

  it('anthropic appends /v1/messages to the host root, with x-api-key, the version, and the client betas and query on pass-through', () => {
    const anthropic = deployment('anthropic', 'https://api.anthropic.com', 'claude-sonnet-4-5');
    expect(upstreamTarget(anthropic, { kind: 'generate', wire: 'anthropic-messages', stream: true })).toEqual(
      {
        url: 'https://api.anthropic.com/v1/messages',
        headers: {
          'x-api-key': 'sk-secret',
          'anthropic-version': '2023-06-01',
          'content-type': 'application/json',
        },
      },
    );
    const forwarded = upstreamTarget(
      anthropic,
      { kind: 'count_tokens' },
      { anthropicVersion: '2023-06-01', anthropicBeta: 'a-1,b-2', query: '?beta=true' },
    );
    expect(forwarded.url).toBe('https://api.anthropic.com/v1/messages/count_tokens?beta=true');
    expect(forwarded.headers['anthropic-beta']).toBe('a-1,b-2');
  });

  it('gemini names the model in the path, streams with alt=sse, and uses x-goog-api-key', () => {
    const gemini = deployment(
      'gemini',
      'https://generativelanguage.googleapis.com',
      'models/gemini-2.5-flash',
    );
    expect(upstreamTarget(gemini, { kind: 'generate', wire: 'gemini', stream: true })).toEqual({
      url: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
      headers: { 'x-goog-api-key': 'sk-secret', 'content-type': 'application/json' },
    });
    expect(upstreamTarget(gemini, { kind: 'generate', wire: 'gemini', stream: false }).url).toMatch(
      /:generateContent$/,
    );
    expect(upstreamTarget(gemini, { kind: 'embed', batch: false }).url).toMatch(
      /gemini-2\.5-flash:embedContent$/,
    );
    expect(upstreamTarget(gemini, { kind: 'embed', batch: true }).url).toMatch(/:batchEmbedContents$/);
  });

  it('refuses an operation a kind does not have (a gateway bug, not a client error)', () => {
    expect(() => upstreamTarget(deployment('gemini', 'https://g', 'm'), { kind: 'count_tokens' })).toThrow(
      'no count_tokens endpoint',
    );
    expect(() =>
      upstreamTarget(deployment('anthropic', 'https://a', 'm'), {
        kind: 'generate',
        wire: 'openai-chat',
        stream: false,
      }),
    ).toThrow();
  });

  it('picks the compat profile: OpenAI for openai, the operator choice (generic when unset) for compatible servers', () => {
    expect(compatProfileOf(deployment('openai', 'x', 'm').provider)).toBe(COMPAT_PROFILES.openai);
    expect(compatProfileOf(deployment('openai_compatible', 'x', 'm', 'xai').provider)).toBe(
      COMPAT_PROFILES.xai,
    );
    expect(compatProfileOf(deployment('openai_compatible', 'x', 'm').provider)).toBe(COMPAT_PROFILES.generic);
    expect(compatProfileOf(deployment('anthropic', 'x', 'm').provider)).toBeUndefined();
  });
});
