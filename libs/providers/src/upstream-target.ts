import { assertNever } from '@switchyard/common';
import { CatalogDeployment, UpstreamAccount } from '@switchyard/catalog';
import {
  COMPAT_PROFILES,
  compatProfile,
  CompatProfile,
  UpstreamKind,
  WireProtocol,
} from '@switchyard/protocols';

/** What the gateway asks an upstream to do. */
export type UpstreamOperation =
  /** Generate an answer in `wire` (the kind's native wire, or OpenAI Responses for openai). */
  | { kind: 'generate'; wire: WireProtocol; stream: boolean }
  /** Anthropic `/v1/messages/count_tokens`. */
  | { kind: 'count_tokens' }
  /** Embeddings; for Gemini `batch` picks `:batchEmbedContents` over `:embedContent`. */
  | { kind: 'embed'; batch: boolean };

/**
 * What a pass-through request carries over from the client: Anthropic's version and beta
 * headers (forwarded verbatim: the client knows which betas its request needs) and the query
 * string (Claude Code's `?beta=true`).
 */
export interface ClientForward {
  anthropicVersion?: string;
  anthropicBeta?: string;
  /** `?…` of the inbound URL, or ''. */
  query?: string;
}

export interface UpstreamTarget {
  url: string;
  headers: Record<string, string>;
}

/** The Anthropic API version the gateway speaks when it writes the request itself. */
export const ANTHROPIC_VERSION = '2023-06-01';

const JSON_TYPE = 'application/json';
const rotation = new WeakMap<UpstreamAccount, number>();

/** Credentials of one account are used in turn, so load spreads over keys of the same account. */
export function nextCredential(account: UpstreamAccount): string {
  const turn = rotation.get(account) ?? 0;
  rotation.set(account, turn + 1);
  return account.credentials[turn % account.credentials.length].secret;
}

/**
 * URL and headers for one upstream call, per provider kind (docs/providers.md):
 * - openai / openai_compatible: base URL ends in `/v1`; `/chat/completions`, `/responses`,
 *   `/embeddings`; `Authorization: Bearer`.
 * - anthropic: base URL is the host root; `/v1/messages` (+ `/count_tokens`); `x-api-key` and
 *   `anthropic-version`.
 * - gemini: base URL is the host root; `/v1beta/models/{model}:generateContent`,
 *   `:streamGenerateContent?alt=sse`, `:batchEmbedContents`, `:embedContent`; `x-goog-api-key`.
 */
export function upstreamTarget(
  deployment: CatalogDeployment,
  operation: UpstreamOperation,
  forward: ClientForward = {},
): UpstreamTarget {
  const { provider } = deployment;
  const kind = provider.kind;
  switch (kind) {
    case 'openai':
    case 'openai_compatible':
      return {
        url: `${provider.baseUrl}${openAiPath(operation, kind)}`,
        headers: { authorization: `Bearer ${nextCredential(provider)}`, 'content-type': JSON_TYPE },
      };
    case 'anthropic': {
      if (operation.kind === 'embed') throw unsupported(kind, 'embeddings');
      if (operation.kind === 'generate' && operation.wire !== 'anthropic-messages')
        throw unsupported(kind, operation.wire);
      const path = operation.kind === 'count_tokens' ? '/v1/messages/count_tokens' : '/v1/messages';
      const headers: Record<string, string> = {
        'x-api-key': nextCredential(provider),
        'anthropic-version': forward.anthropicVersion ?? ANTHROPIC_VERSION,
        'content-type': JSON_TYPE,
      };
      if (forward.anthropicBeta) headers['anthropic-beta'] = forward.anthropicBeta;
      return { url: `${provider.baseUrl}${path}${forward.query ?? ''}`, headers };
    }
    case 'gemini': {
      if (operation.kind === 'count_tokens') throw unsupported(kind, 'count_tokens');
      if (operation.kind === 'generate' && operation.wire !== 'gemini')
        throw unsupported(kind, operation.wire);
      const method =
        operation.kind === 'embed'
          ? operation.batch
            ? ':batchEmbedContents'
            : ':embedContent'
          : operation.stream
            ? ':streamGenerateContent?alt=sse'
            : ':generateContent';
      return {
        url: `${provider.baseUrl}/v1beta/models/${encodeURIComponent(geminiModel(deployment.upstreamModel))}${method}`,
        headers: { 'x-goog-api-key': nextCredential(provider), 'content-type': JSON_TYPE },
      };
    }
    default:
      return assertNever(kind);
  }
}

/** Gemini model ids are sometimes written with their resource prefix (`models/gemini-2.5-pro`). */
export function geminiModel(upstreamModel: string): string {
  return upstreamModel.startsWith('models/') ? upstreamModel.slice('models/'.length) : upstreamModel;
}

function openAiPath(operation: UpstreamOperation, kind: 'openai' | 'openai_compatible'): string {
  switch (operation.kind) {
    case 'embed':
      return '/embeddings';
    case 'count_tokens':
      throw unsupported(kind, 'count_tokens');
    case 'generate':
      if (operation.wire === 'openai-chat') return '/chat/completions';
      if (operation.wire === 'openai-responses') return '/responses';
      throw unsupported(kind, operation.wire);
  }
}

/** A programming error: the gateway asked a kind for an operation its wire does not have. */
function unsupported(kind: UpstreamKind, what: string): Error {
  return new Error(`provider kind ${kind} has no ${what} endpoint`);
}

/**
 * The OpenAI-compatible quirks profile of an account: OpenAI's own for `openai`, the operator's
 * choice for `openai_compatible` (generic when unset), none for other kinds.
 */
export function compatProfileOf(account: UpstreamAccount): CompatProfile | undefined {
  switch (account.kind) {
    case 'openai':
      return COMPAT_PROFILES.openai;
    case 'openai_compatible':
      return compatProfile(account.profile);
    case 'anthropic':
    case 'gemini':
      return undefined;
    default:
      return assertNever(account.kind);
  }
}
