import { ReasoningEffort } from '../ir/ir-request';
import { IrStopReason } from '../ir/ir-response';
import { OpenAiUsageQuirks } from '../openai-chat/usage';

/** Built-in profiles an operator can pick for an `openai_compatible` provider (`providers.profile`). */
export type CompatProfileId =
  'openai' | 'generic' | 'deepseek' | 'xai' | 'qwen' | 'vllm' | 'ollama' | 'groq' | 'together';

/** A finish reason outside OpenAI's set: a stop reason, or "retry elsewhere if nothing was sent yet". */
export type CompatFinish = IrStopReason | 'retryable';

/**
 * Everything that differs between OpenAI-compatible servers, as data. The Chat Completions codec
 * reads these fields and nothing else, so a new vendor is a new entry, not new code paths.
 */
export interface CompatProfile {
  id: CompatProfileId;
  label: string;
  /** Documented quirks (rendered into docs/compatibility.md). */
  notes: readonly string[];
  usage: OpenAiUsageQuirks;
  /** Where usage may also hide on a stream chunk besides `usage` (Groq: `x_groq.usage`). */
  usagePaths: readonly (readonly string[])[];
  /** Message/delta fields that carry reasoning text, in order of preference. */
  reasoningFields: readonly string[];
  /** Which output-limit field the server reads. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** Whether the server accepts `stream_options.include_usage` (needed for usage on streams). */
  streamOptions: boolean;
  /** Values `reasoning_effort` accepts, or null when the server has no such parameter. */
  reasoningEffort: readonly ReasoningEffort[] | null;
  /** Parameters reasoning models refuse (xAI): refused at translation unless droppable. */
  reasoningModelRejects: { models: RegExp; params: readonly string[] } | null;
  /** Non-OpenAI finish reasons. Unknown values map to `stop`. */
  finishReasons: Readonly<Record<string, CompatFinish>>;
  /** Reasoning text must be sent back on assistant turns (DeepSeek thinking mode with tools). */
  echoReasoningContent: boolean;
  /** Native Chat `custom` (free-form) tools; otherwise they become one-string-argument functions. */
  customTools: boolean;
  topK: boolean;
  seed: boolean;
  penalties: boolean;
  parallelToolCalls: boolean;
  /** `response_format: {type: "json_schema"}`. */
  jsonSchema: boolean;
  /** `user` is forwarded (some servers reject unknown fields). */
  user: boolean;
}

const OPENAI_EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];

const BASE: CompatProfile = {
  id: 'generic',
  label: 'Generic OpenAI-compatible server',
  notes: [
    'Tool-call indexes may start at 1 or skip numbers; calls are keyed by index, then by id.',
    'Tool-call ids may be missing, repeated or empty strings; missing ones are minted (call_…).',
    'A whole tool call may arrive in one delta; empty argument strings become {}.',
    'Usage may be missing, on the finish chunk, or on a choices:[] chunk; all three are read.',
    'SSE comments (": keep-alive") and blank keep-alive lines are skipped.',
    'Non-standard finish reasons map to the nearest standard one; unknown ones to stop.',
    'Error bodies in FastAPI ({"detail"}), Ollama ({"error":"…"}) and vLLM ({"object":"error"}) shapes are read.',
  ],
  usage: {},
  usagePaths: [['usage']],
  reasoningFields: ['reasoning_content', 'reasoning'],
  maxTokensField: 'max_tokens',
  streamOptions: true,
  reasoningEffort: null,
  reasoningModelRejects: null,
  finishReasons: {
    eos: 'stop',
    end_turn: 'stop',
    eos_token: 'stop',
    tool_use: 'tool_calls',
    max_tokens: 'length',
  },
  echoReasoningContent: false,
  customTools: false,
  topK: false,
  seed: true,
  penalties: true,
  parallelToolCalls: true,
  jsonSchema: true,
  user: false,
};

export const COMPAT_PROFILES: Readonly<Record<CompatProfileId, CompatProfile>> = {
  openai: {
    ...BASE,
    id: 'openai',
    label: 'OpenAI',
    notes: [
      'Usage on streams only with stream_options.include_usage, in a trailing choices:[] chunk; the gateway injects it and hides the chunk from clients that did not ask.',
      'Reasoning models refuse max_tokens: max_completion_tokens is sent.',
    ],
    reasoningFields: [],
    maxTokensField: 'max_completion_tokens',
    reasoningEffort: OPENAI_EFFORTS,
    customTools: true,
    user: true,
  },
  generic: BASE,
  deepseek: {
    ...BASE,
    id: 'deepseek',
    label: 'DeepSeek',
    notes: [
      'reasoning_content carries thinking text (deepseek-reasoner, thinking mode); it becomes Anthropic thinking / Responses reasoning for clients that enabled it.',
      'In thinking mode, assistant turns with tool_calls must carry their reasoning_content back, or DeepSeek answers 400.',
      'Usage arrives on the last chunk together with finish_reason (no choices:[] chunk), even without include_usage.',
      'prompt_cache_hit_tokens / prompt_cache_miss_tokens give cached input (cached_tokens mirrors the hit count).',
      'Queued requests get ": keep-alive" SSE comments (streams) or leading blank lines (non-stream JSON).',
      'finish_reason insufficient_system_resource: a retryable failure if nothing was delivered yet, else a length-like stop.',
      '402 means insufficient balance, 503 overloaded.',
    ],
    reasoningFields: ['reasoning_content'],
    finishReasons: { ...BASE.finishReasons, insufficient_system_resource: 'retryable' },
    echoReasoningContent: true,
    reasoningEffort: null,
  },
  xai: {
    ...BASE,
    id: 'xai',
    label: 'xAI (Grok)',
    notes: [
      'completion_tokens EXCLUDES reasoning_tokens (total = prompt + completion + reasoning); billed output adds them.',
      'cached_tokens can exceed prompt_tokens on some responses: prompt_tokens then excludes the cache, so input is never negative.',
      'A tool call arrives whole in one delta; chunks omit finish_reason:null.',
      'Reasoning models refuse stop, presence_penalty and frequency_penalty (and some reject reasoning_effort).',
      'reasoning_content streams only for grok-3-mini; usage.cost_in_usd_ticks is the exact cost (1 USD = 1e10 ticks).',
    ],
    usage: { completionExcludesReasoning: true, cachedMayExceedPrompt: true },
    reasoningFields: ['reasoning_content'],
    reasoningEffort: ['low', 'high'],
    reasoningModelRejects: {
      models: /grok-(3-mini|4|code)/,
      params: ['stop', 'presence_penalty', 'frequency_penalty'],
    },
    user: true,
  },
  qwen: {
    ...BASE,
    id: 'qwen',
    label: 'Qwen (DashScope compatible mode)',
    notes: [
      'Base URL https://dashscope.aliyuncs.com/compatible-mode/v1.',
      'Thinking models stream reasoning_content; enable_thinking is a DashScope extension (not sent by the gateway).',
      'Stream usage only with stream_options.include_usage, in a trailing choices:[] chunk.',
      'Later tool-call deltas may repeat id and name as empty strings; they are ignored.',
      'Accepts top_k as an extension.',
    ],
    reasoningFields: ['reasoning_content'],
    topK: true,
  },
  vllm: {
    ...BASE,
    id: 'vllm',
    label: 'vLLM',
    notes: [
      'Reasoning parsers emit reasoning_content (older) or reasoning (newer); both are read.',
      'Some tool parsers (Llama) put finish_reason on the chunk with the last argument fragment, plus a non-standard stop_reason.',
      'Errors come as {"object":"error","message","type","code"}.',
      'Accepts top_k; usage on streams with stream_options.include_usage.',
    ],
    topK: true,
    reasoningEffort: ['low', 'medium', 'high'],
  },
  ollama: {
    ...BASE,
    id: 'ollama',
    label: 'Ollama (/v1 OpenAI compatibility)',
    notes: [
      'Tool calls arrive whole in one delta; ids are minted by Ollama (call_…).',
      'Thinking models stream a reasoning field.',
      'Errors may be {"error":"message"} (a string).',
      'Stream usage with stream_options.include_usage; json_schema via response_format.',
    ],
    reasoningFields: ['reasoning', 'reasoning_content'],
    reasoningEffort: ['low', 'medium', 'high'],
    parallelToolCalls: false,
  },
  groq: {
    ...BASE,
    id: 'groq',
    label: 'Groq',
    notes: [
      'Streaming usage also appears as x_groq.usage on the last chunk; both places are read.',
      'Reasoning models return a reasoning field (reasoning_format=parsed).',
      'n > 1, logprobs and logit_bias are refused by Groq.',
    ],
    usagePaths: [['usage'], ['x_groq', 'usage']],
    reasoningFields: ['reasoning'],
    maxTokensField: 'max_completion_tokens',
    reasoningEffort: ['none', 'low', 'medium', 'high'],
    user: true,
  },
  together: {
    ...BASE,
    id: 'together',
    label: 'Together AI',
    notes: [
      'Usage arrives on the final chunk with the finish_reason (choices not empty).',
      'Reasoning models may return a reasoning field; some embed <think> tags in content (passed as text).',
      'Accepts top_k and repetition_penalty as extensions.',
    ],
    topK: true,
  },
};

export function compatProfile(id: string | null | undefined): CompatProfile {
  if (!id) return COMPAT_PROFILES.generic;
  const known = Object.values(COMPAT_PROFILES).find((profile) => profile.id === id);
  return known ?? COMPAT_PROFILES.generic;
}
