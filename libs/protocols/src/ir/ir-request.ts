import { JsonObject, JsonValue } from '@switchyard/common';

/** The wire protocols the library speaks. Clients use the first three; upstreams all four. */
export type WireProtocol = 'openai-chat' | 'openai-responses' | 'anthropic-messages' | 'gemini';
export type ClientProtocol = Exclude<WireProtocol, 'gemini'>;

/**
 * Where a piece of opaque reasoning state came from. Opaque state (signatures, encrypted content,
 * thought signatures, DeepSeek thinking-mode text) is only valid for the provider that made it.
 */
export type ReasoningProvider = 'anthropic' | 'openai' | 'gemini' | 'openai-compatible';

/** Anthropic `cache_control` (or any future cache marker), kept verbatim for Anthropic upstreams. */
export type IrCacheMarker = JsonObject;

export interface IrTextPart {
  type: 'text';
  text: string;
  cache?: IrCacheMarker;
  /** OpenAI `refusal` text: shown as text elsewhere, kept apart for OpenAI clients. */
  refusal?: boolean;
}

export type IrImageSource =
  { kind: 'base64'; mediaType: string; data: string } | { kind: 'url'; url: string };

export interface IrImagePart {
  type: 'image';
  source: IrImageSource;
  /** OpenAI `detail` (auto/low/high); no equivalent elsewhere. */
  detail?: string;
  cache?: IrCacheMarker;
}

export interface IrFilePart {
  type: 'file';
  mediaType?: string;
  /** base64 payload */
  data?: string;
  /** provider-side file id (OpenAI `file_id`, Anthropic `file_id`); only valid for that provider */
  fileId?: string;
  url?: string;
  filename?: string;
  cache?: IrCacheMarker;
}

export interface IrToolCallPart {
  type: 'tool_call';
  id: string;
  name: string;
  /** Arguments as a JSON *string*: parsed only by encoders whose wire needs an object. */
  argsJson: string;
  /** Responses `namespace` the tool was declared in. */
  namespace?: string;
  /** Responses free-form (`custom`) tool: `argsJson` is `{"input": <raw>}`, `input` the raw text. */
  custom?: { input: string };
  /** Gemini `thoughtSignature` on the functionCall part; only valid for Gemini. */
  signature?: string;
  cache?: IrCacheMarker;
}

export interface IrToolResultPart {
  type: 'tool_result';
  callId: string;
  /** Function name when the wire carries it (Gemini needs it; encoders look it up otherwise). */
  name?: string;
  content: Array<IrTextPart | IrImagePart | IrFilePart>;
  isError?: boolean;
  /** Answer to a Responses custom tool call. */
  custom?: boolean;
  cache?: IrCacheMarker;
}

export interface IrReasoningPart {
  type: 'reasoning';
  /** Readable reasoning (thinking text or summary); may be empty. */
  text: string;
  provider: ReasoningProvider;
  /** Anthropic thinking `signature`. */
  signature?: string;
  /** Anthropic `redacted_thinking` (payload in `opaque`). */
  redacted?: boolean;
  /** Provider opaque data: Anthropic redacted `data`, OpenAI `encrypted_content`, Gemini `thoughtSignature`. */
  opaque?: string;
  /** Provider item id (Responses `rs_…`). */
  id?: string;
  /** `text` is a summary (Responses `summary_text`) rather than raw reasoning. */
  summary?: boolean;
  cache?: IrCacheMarker;
}

export type IrContentPart = IrTextPart | IrImagePart | IrFilePart;
export type IrPart = IrContentPart | IrToolCallPart | IrToolResultPart | IrReasoningPart;

export type IrRole = 'user' | 'assistant' | 'tool';

export interface IrMessage {
  role: IrRole;
  parts: IrPart[];
}

export interface IrFunctionTool {
  kind: 'function';
  name: string;
  description?: string;
  /** JSON Schema, kept as parsed (never re-serialised twice). */
  parameters?: JsonObject;
  strict?: boolean;
  namespace?: string;
  cache?: IrCacheMarker;
  /** Anthropic-only tool fields (`defer_loading`, `eager_input_streaming`, …) for Anthropic upstreams. */
  anthropicExtra?: JsonObject;
}

/** Responses free-form tool: the model writes raw text (optionally constrained by a grammar). */
export interface IrCustomTool {
  kind: 'custom';
  name: string;
  description?: string;
  format?: JsonValue;
  namespace?: string;
}

/** A vendor-hosted tool (web_search, code_execution, googleSearch…): only meaningful on its own wire. */
export interface IrHostedTool {
  kind: 'hosted';
  wire: WireProtocol;
  toolType: string;
  raw: JsonObject;
}

export type IrTool = IrFunctionTool | IrCustomTool | IrHostedTool;

export type IrToolChoice =
  { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string };

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

export interface IrReasoningConfig {
  /** `disabled` turns reasoning off explicitly; `adaptive` lets the model decide (Anthropic). */
  mode?: 'enabled' | 'disabled' | 'adaptive';
  effort?: ReasoningEffort;
  budgetTokens?: number;
  /** Return readable reasoning (Gemini includeThoughts, Responses summary). */
  includeThoughts?: boolean;
  /** Responses `reasoning.summary`. */
  summary?: string;
  /** Anthropic `thinking.display`. */
  display?: string;
}

export type IrResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name?: string; schema: JsonObject; strict?: boolean; description?: string };

/**
 * A parameter the source protocol set that the IR has no common field for. Each encoder decides
 * per its policy table whether it can carry it (same family), may drop it quietly, or must refuse.
 */
export interface IrExtra {
  /** Wire name in the source protocol, e.g. `logprobs`, `previous_response_id`, `top_k`. */
  name: string;
  value: JsonValue;
}

export interface IrRequest {
  /** The model the client asked for (its public name). */
  model: string;
  /** System/developer instructions in order, including ones hoisted from mid-conversation. */
  system: IrTextPart[];
  messages: IrMessage[];
  tools: IrTool[];
  toolChoice?: IrToolChoice;
  parallelToolCalls?: boolean;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  reasoning?: IrReasoningConfig;
  responseFormat?: IrResponseFormat;
  stream: boolean;
  /** The client asked to see usage in the stream (Chat `stream_options.include_usage`). */
  wantUsage: boolean;
  /** End-user identifier (`user`, `safety_identifier`, Anthropic `metadata.user_id`). */
  user?: string;
  /** Parameters without a common IR field, in the source protocol's naming. */
  extras: IrExtra[];
  /** The protocol the request was decoded from. */
  source: WireProtocol;
}

/** Finds an extra by name. */
export function extraOf(request: IrRequest, name: string): IrExtra | undefined {
  return request.extras.find((extra) => extra.name === name);
}
