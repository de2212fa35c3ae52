import { upstreamWireFor, UpstreamKind } from './codecs';
import { ClientProtocol, WireProtocol } from './ir/ir-request';

/**
 * The support matrix (feature × inbound protocol × upstream kind), as data the lead renders into
 * docs/compatibility.md. Request parameters carry the name an operator lists to make a refusal a
 * drop; compatibility-matrix.spec.ts encodes a probe request for every parameter row against every
 * upstream and fails if this table and the encoders disagree.
 *
 * - supported: native, or pass-through (same protocol both sides: the body is not translated)
 * - translated: mapped to the upstream's equivalent
 * - dropped: left out with a note in EncodedRequest.dropped, because it cannot change the answer
 *   (or only in a documented way)
 * - rejected: 400 "unsupported parameter X for upstream kind Y", unless the operator marks X droppable
 * - not_applicable: the inbound protocol cannot express it
 */
export type Support = 'supported' | 'translated' | 'dropped' | 'rejected' | 'not_applicable';

export interface MatrixCell {
  support: Support;
  note?: string;
}

export type MatrixUpstream = UpstreamKind;

export interface MatrixFeature {
  id: string;
  label: string;
  /** `parameter` rows are checked against the encoders; `behaviour` rows by the named tests. */
  kind: 'parameter' | 'behaviour';
  /** The droppable name (EncodedRequest.dropped / unsupported parameter X). */
  param?: string;
  /** Which client protocols can express the feature. */
  inbound: readonly ClientProtocol[];
  /** How a translating encoder for each wire handles it (default: translated). */
  wires?: Partial<Record<WireProtocol, MatrixCell>>;
  /**
   * openai_compatible override of the openai-chat cell: what the `generic` profile does, with the
   * profiles that differ named in the note (their quirks are in COMPAT_PROFILES).
   */
  compat?: MatrixCell;
  /** Spec files whose tests prove the row. */
  tests: readonly string[];
}

const ALL: readonly ClientProtocol[] = ['openai-chat', 'openai-responses', 'anthropic-messages'];
const T = (note?: string): MatrixCell => (note ? { support: 'translated', note } : { support: 'translated' });
const D = (note: string): MatrixCell => ({ support: 'dropped', note });
const R = (note: string): MatrixCell => ({ support: 'rejected', note });
const S = (note?: string): MatrixCell => (note ? { support: 'supported', note } : { support: 'supported' });

const MATRIX = 'translation-matrix.spec.ts';
const REQUESTS = 'client-requests.spec.ts';
const REASONING = 'reasoning-roundtrip.spec.ts';
const ERRORS = 'errors.spec.ts';
const PARAMS = 'compatibility-matrix.spec.ts';

export const FEATURES: readonly MatrixFeature[] = [
  { id: 'text', label: 'Text in and out', kind: 'behaviour', inbound: ALL, tests: [MATRIX] },
  {
    id: 'streaming',
    label: 'Streaming (SSE in the client protocol)',
    kind: 'behaviour',
    inbound: ALL,
    tests: [MATRIX, 'stream-decoder.spec.ts'],
  },
  {
    id: 'system',
    label: 'System / developer prompt',
    kind: 'behaviour',
    inbound: ALL,
    wires: {
      'anthropic-messages': T('system blocks; mid-conversation system messages are hoisted, in order'),
    },
    tests: [REQUESTS],
  },
  {
    id: 'multi_turn',
    label: 'Multi-turn history',
    kind: 'behaviour',
    inbound: ALL,
    wires: { gemini: T('assistant → model; same-role turns merged') },
    tests: [REQUESTS],
  },
  {
    id: 'tools',
    label: 'Function tools (definitions)',
    kind: 'behaviour',
    inbound: ALL,
    wires: { gemini: T('functionDeclarations with parametersJsonSchema; $schema stripped') },
    tests: [REQUESTS],
  },
  {
    id: 'tool_calls',
    label: 'Tool calls, parallel, arguments reassembled from stream fragments',
    kind: 'behaviour',
    inbound: ALL,
    tests: [MATRIX, 'stream-decoder.spec.ts'],
  },
  {
    id: 'tool_results',
    label: 'Tool results',
    kind: 'behaviour',
    inbound: ALL,
    wires: {
      'anthropic-messages': T('grouped into one user turn, results first'),
      gemini: T('functionResponse named from the call; non-object results wrapped as {"output": …}'),
      'openai-chat': T('one tool message per result; images follow in a user message'),
    },
    tests: [REQUESTS],
  },
  {
    id: 'tool_choice',
    label: 'tool_choice auto / none / required / one tool',
    kind: 'behaviour',
    inbound: ALL,
    wires: {
      'anthropic-messages': T('required → any'),
      gemini: T('functionCallingConfig AUTO/NONE/ANY (+allowedFunctionNames)'),
    },
    tests: [PARAMS],
  },
  {
    id: 'parallel_tool_calls',
    label: 'parallel_tool_calls / disable_parallel_tool_use',
    kind: 'parameter',
    param: 'parallel_tool_calls',
    inbound: ALL,
    wires: {
      'anthropic-messages': T('false → disable_parallel_tool_use'),
      gemini: D('Gemini has no switch'),
    },
    compat: T('dropped for the ollama profile'),
    tests: [PARAMS],
  },
  {
    id: 'custom_tools',
    label: 'Free-form (custom) tools and their calls/outputs',
    kind: 'behaviour',
    inbound: ['openai-responses', 'openai-chat'],
    wires: {
      'anthropic-messages': T(
        'a function with one string argument "input"; raw input restored for the client',
      ),
      gemini: T('a function with one string argument "input"'),
      'openai-chat': T('native custom tools on OpenAI; one-string functions on compatible servers'),
    },
    tests: [REQUESTS],
  },
  {
    id: 'namespaces',
    label: 'Responses tool namespaces / additional_tools input item',
    kind: 'behaviour',
    inbound: ['openai-responses'],
    wires: {
      'openai-chat': T('flattened (name clashes → namespace__name)'),
      'anthropic-messages': T('flattened'),
      gemini: T('flattened'),
    },
    tests: [REQUESTS],
  },
  {
    id: 'hosted_tools',
    label: 'Vendor-hosted tools (web_search, code execution…)',
    kind: 'parameter',
    param: 'tools.web_search',
    inbound: ['openai-responses', 'anthropic-messages'],
    wires: {
      'openai-chat': R('hosted tools only run on their own vendor'),
      'openai-responses': R('hosted tools only run on their own vendor'),
      'anthropic-messages': R('hosted tools only run on their own vendor'),
      gemini: R('hosted tools only run on their own vendor'),
    },
    tests: [PARAMS, REQUESTS],
  },
  {
    id: 'image_base64',
    label: 'Images (base64)',
    kind: 'behaviour',
    inbound: ALL,
    wires: { 'anthropic-messages': T('jpeg/png/gif/webp only') },
    tests: [PARAMS],
  },
  {
    id: 'image_url',
    label: 'Images (URL)',
    kind: 'behaviour',
    inbound: ALL,
    wires: {
      gemini: T(
        'sent as fileData; the gateway should fetch and inline web URLs first (collectImageUrls / inlineImages)',
      ),
    },
    tests: [PARAMS],
  },
  {
    id: 'files',
    label: 'PDF / file input',
    kind: 'behaviour',
    inbound: ALL,
    wires: { 'anthropic-messages': T('document blocks') },
    tests: [PARAMS],
  },
  {
    id: 'input_audio',
    label: 'Audio input',
    kind: 'parameter',
    param: 'input_audio',
    inbound: ['openai-chat'],
    wires: {
      'anthropic-messages': R('no audio input'),
      'openai-responses': R('no audio input'),
      gemini: T('inlineData audio/*'),
    },
    tests: [PARAMS],
  },
  {
    id: 'max_tokens',
    label: 'Output limit',
    kind: 'behaviour',
    inbound: ALL,
    wires: { 'anthropic-messages': T('required upstream: a default applies when absent') },
    tests: [PARAMS],
  },
  {
    id: 'temperature',
    label: 'temperature',
    kind: 'behaviour',
    inbound: ALL,
    wires: {
      'anthropic-messages': T('clamped to 0..1; dropped while thinking is on (Anthropic refuses both)'),
    },
    tests: [PARAMS],
  },
  { id: 'top_p', label: 'top_p', kind: 'behaviour', inbound: ALL, tests: [PARAMS] },
  {
    id: 'top_k',
    label: 'top_k',
    kind: 'parameter',
    param: 'top_k',
    inbound: ['anthropic-messages', 'openai-chat'],
    wires: { 'openai-chat': R('OpenAI has no top_k'), 'openai-responses': R('OpenAI has no top_k') },
    compat: R('generic servers may not know top_k; the qwen, vllm and together profiles accept it'),
    tests: [PARAMS],
  },
  {
    id: 'stop',
    label: 'Stop sequences',
    kind: 'parameter',
    param: 'stop',
    inbound: ['openai-chat', 'anthropic-messages'],
    wires: { 'openai-responses': R('the Responses API has no stop sequences') },
    compat: T('the xai profile refuses stop for reasoning models'),
    tests: [PARAMS],
  },
  {
    id: 'seed',
    label: 'seed',
    kind: 'parameter',
    param: 'seed',
    inbound: ['openai-chat'],
    wires: { 'anthropic-messages': R('no seed'), 'openai-responses': R('no seed') },
    tests: [PARAMS],
  },
  {
    id: 'penalties',
    label: 'presence_penalty / frequency_penalty (non-zero)',
    kind: 'parameter',
    param: 'presence_penalty',
    inbound: ['openai-chat'],
    wires: { 'anthropic-messages': R('no penalties'), 'openai-responses': R('no penalties') },
    compat: T('the xai profile refuses penalties for reasoning models'),
    tests: [PARAMS],
  },
  {
    id: 'json_object',
    label: 'JSON mode (json_object)',
    kind: 'parameter',
    param: 'response_format',
    inbound: ['openai-chat', 'openai-responses'],
    wires: {
      'anthropic-messages': R('structured output needs a schema'),
      gemini: T('responseMimeType application/json'),
    },
    tests: [PARAMS],
  },
  {
    id: 'json_schema',
    label: 'Structured output (json_schema)',
    kind: 'parameter',
    param: 'response_format',
    inbound: ALL,
    wires: { 'anthropic-messages': T('output_config.format'), gemini: T('responseJsonSchema') },
    tests: [PARAMS],
  },
  {
    id: 'reasoning_config',
    label: 'Reasoning effort / thinking budget',
    kind: 'parameter',
    param: 'reasoning',
    inbound: ALL,
    wires: {
      'anthropic-messages': T(
        'effort → budget_tokens (low 1024, medium 4096, high 16384), kept below max_tokens',
      ),
      gemini: T('thinkingConfig.thinkingBudget'),
      'openai-chat': T('reasoning_effort (nearest level the server accepts)'),
    },
    compat: D(
      'no reasoning_effort on generic, deepseek, qwen, together (their reasoning models reason anyway); the xai, vllm, ollama and groq profiles translate it',
    ),
    tests: [PARAMS],
  },
  {
    id: 'reasoning_output',
    label: 'Reasoning / thinking output',
    kind: 'behaviour',
    inbound: ALL,
    wires: {},
    tests: [REASONING],
  },
  {
    id: 'reasoning_roundtrip',
    label:
      'Opaque reasoning state back to its provider (signatures, encrypted_content, thoughtSignature, DeepSeek reasoning_content)',
    kind: 'behaviour',
    inbound: ALL,
    wires: {
      'openai-chat': T(
        'Chat clients cannot carry it: only DeepSeek-style reasoning_content sent back by the client',
      ),
    },
    tests: [REASONING],
  },
  {
    id: 'cache_control',
    label: 'Prompt-cache markers (cache_control)',
    kind: 'parameter',
    param: 'cache_control',
    inbound: ['anthropic-messages'],
    wires: {
      'openai-chat': D('OpenAI caches automatically'),
      'openai-responses': D('OpenAI caches automatically'),
      gemini: D('Gemini needs explicit cachedContents'),
    },
    tests: [PARAMS, REQUESTS],
  },
  {
    id: 'stop_reasons',
    label: 'Stop / finish reasons mapped',
    kind: 'behaviour',
    inbound: ALL,
    tests: [MATRIX],
  },
  {
    id: 'usage',
    label: 'Usage: input, output, cached input, cache writes, reasoning',
    kind: 'behaviour',
    inbound: ALL,
    tests: [MATRIX, 'stream-taps.spec.ts'],
  },
  {
    id: 'stream_usage',
    label: 'Usage on streams even when the client did not ask',
    kind: 'behaviour',
    inbound: ALL,
    wires: {
      'openai-chat': T(
        'stream_options.include_usage injected; the usage chunk hidden from clients that did not ask',
      ),
    },
    tests: [MATRIX, 'stream-tap.spec.ts'],
  },
  {
    id: 'n',
    label: 'n > 1',
    kind: 'parameter',
    param: 'n',
    inbound: ['openai-chat'],
    wires: {
      'openai-responses': R('one answer per call'),
      'anthropic-messages': R('one answer per call'),
      gemini: R('one answer per call'),
    },
    tests: [PARAMS],
  },
  {
    id: 'logprobs',
    label: 'logprobs / logit_bias',
    kind: 'parameter',
    param: 'logprobs',
    inbound: ['openai-chat'],
    wires: {
      'openai-responses': R('not translatable'),
      'anthropic-messages': R('not translatable'),
      gemini: R('not translatable'),
    },
    tests: [PARAMS],
  },
  {
    id: 'previous_response_id',
    label: 'previous_response_id (stored conversations)',
    kind: 'parameter',
    param: 'previous_response_id',
    inbound: ['openai-responses'],
    wires: {
      'openai-chat': R('the gateway must expand stored history before translating'),
      'anthropic-messages': R('the gateway must expand stored history before translating'),
      gemini: R('the gateway must expand stored history before translating'),
    },
    tests: [PARAMS],
  },
  {
    id: 'bookkeeping',
    label: 'store / metadata / prompt_cache_key / service_tier / include',
    kind: 'parameter',
    param: 'prompt_cache_key',
    inbound: ['openai-chat', 'openai-responses'],
    wires: { 'anthropic-messages': D('no effect on the answer'), gemini: D('no effect on the answer') },
    tests: [PARAMS],
  },
  {
    id: 'user',
    label: 'End-user id (user / metadata.user_id)',
    kind: 'parameter',
    param: 'user',
    inbound: ALL,
    wires: { 'anthropic-messages': T('metadata.user_id'), gemini: D('Gemini has no end-user field') },
    compat: D('generic servers may reject unknown fields; the xai and groq profiles forward user'),
    tests: [PARAMS],
  },
  {
    id: 'errors',
    label: 'Upstream errors in the client protocol shape and status (529 → 503 for OpenAI clients)',
    kind: 'behaviour',
    inbound: ALL,
    tests: [ERRORS],
  },
  {
    id: 'midstream_errors',
    label: 'Mid-stream errors as protocol error events',
    kind: 'behaviour',
    inbound: ALL,
    tests: [ERRORS],
  },
];

export const MATRIX_UPSTREAMS: readonly MatrixUpstream[] = [
  'openai',
  'anthropic',
  'gemini',
  'openai_compatible',
];

/** The cell for one feature, client protocol and upstream kind. */
export function supportOf(
  feature: MatrixFeature,
  inbound: ClientProtocol,
  upstream: MatrixUpstream,
): MatrixCell {
  if (!feature.inbound.includes(inbound)) return { support: 'not_applicable' };
  const wire = upstreamWireFor(inbound, upstream);
  if (wire === inbound) return S('pass-through');
  if (upstream === 'openai_compatible' && feature.compat) return feature.compat;
  return feature.wires?.[wire] ?? (wire === inbound ? S() : T());
}

export interface MatrixRow {
  feature: string;
  label: string;
  param?: string;
  cells: Record<ClientProtocol, Record<MatrixUpstream, MatrixCell>>;
  tests: readonly string[];
}

/** The whole matrix, ready to render. */
export function compatibilityMatrix(): MatrixRow[] {
  return FEATURES.map((feature) => {
    const row = (inbound: ClientProtocol): Record<MatrixUpstream, MatrixCell> => ({
      openai: supportOf(feature, inbound, 'openai'),
      anthropic: supportOf(feature, inbound, 'anthropic'),
      gemini: supportOf(feature, inbound, 'gemini'),
      openai_compatible: supportOf(feature, inbound, 'openai_compatible'),
    });
    const cells = {
      'openai-chat': row('openai-chat'),
      'openai-responses': row('openai-responses'),
      'anthropic-messages': row('anthropic-messages'),
    };
    return {
      feature: feature.id,
      label: feature.label,
      ...(feature.param ? { param: feature.param } : {}),
      cells,
      tests: feature.tests,
    };
  });
}
