import { assertNever } from '@switchyard/common';
import { CatalogDeployment, UpstreamAccount } from '@switchyard/catalog';
import { OpenAiUsageQuirks } from '@switchyard/protocols';

/** The upstream wire protocols, by provider kind. */
export type UpstreamOperation = 'chat' | 'embeddings' | 'models';

const rotation = new WeakMap<UpstreamAccount, number>();

/** Credentials of one account are used in turn, so load spreads over keys of the same account. */
export function nextCredential(account: UpstreamAccount): string {
  const turn = rotation.get(account) ?? 0;
  rotation.set(account, turn + 1);
  return account.credentials[turn % account.credentials.length].secret;
}

/** URL and auth headers for an OpenAI or OpenAI-compatible upstream call. */
export function openAiTarget(deployment: CatalogDeployment, operation: UpstreamOperation): { url: string; headers: Record<string, string> } {
  const { provider } = deployment;
  const path = operation === 'chat' ? '/chat/completions' : operation === 'embeddings' ? '/embeddings' : '/models';
  return {
    url: `${provider.baseUrl}${path}`,
    headers: { authorization: `Bearer ${nextCredential(provider)}`, 'content-type': 'application/json' },
  };
}

/** Usage quirks of an openai_compatible profile (see docs/providers.md). */
export function usageQuirks(account: UpstreamAccount): OpenAiUsageQuirks {
  switch (account.kind) {
    case 'openai_compatible':
      return account.profile === 'xai' ? { completionExcludesReasoning: true } : {};
    case 'openai':
    case 'anthropic':
    case 'gemini':
      return {};
    default:
      return assertNever(account.kind);
  }
}
