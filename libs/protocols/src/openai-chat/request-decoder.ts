import { JsonObject } from '@switchyard/common';
import {
  IrContentPart,
  IrExtra,
  IrMessage,
  IrPart,
  IrReasoningConfig,
  IrRequest,
  IrResponseFormat,
  IrTextPart,
  IrTool,
  IrToolCallPart,
  IrToolChoice,
  IrToolResultPart,
  ReasoningEffort,
} from '../ir/ir-request';
import { parseDataUrl } from '../shared/data-url';
import { invalidRequest } from '../shared/errors';
import { arr, bool, int, num, obj, str } from '../shared/read';
import { customArgsJson } from '../shared/tool-names';

/**
 * Parameters without an IR field that the Chat decoder keeps as extras (see EXTRA_POLICY).
 * Anything else unknown is ignored: SDKs add fields faster than gateways learn them, and
 * pass-through (which never decodes) is where new fields must keep working.
 */
const CHAT_EXTRAS = [
  'logprobs',
  'top_logprobs',
  'logit_bias',
  'audio',
  'modalities',
  'prediction',
  'web_search_options',
  'service_tier',
  'store',
  'metadata',
  'prompt_cache_key',
  'prompt_cache_retention',
  'verbosity',
  'functions',
] as const;

const EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];

/** Decodes a Chat Completions request body (already JSON-parsed) into the IR. */
export function decodeOpenAiChatRequest(body: unknown): IrRequest {
  const root = obj(body);
  if (!root) throw invalidRequest('request body must be a JSON object');
  const model = str(root.model);
  if (!model) throw invalidRequest('model is required', 'model');
  const rawMessages = arr(root.messages);
  if (!rawMessages) throw invalidRequest('messages must be an array', 'messages');

  const system: IrTextPart[] = [];
  const messages: IrMessage[] = [];
  rawMessages.forEach((raw, i) => decodeMessage(raw, i, system, messages));

  const extras: IrExtra[] = [];
  for (const name of CHAT_EXTRAS) {
    const value = root[name];
    if (value === undefined || value === null || value === false) continue;
    extras.push({ name, value });
  }
  const n = int(root.n);
  if (n !== undefined && n > 1) extras.push({ name: 'n', value: n });
  const safety = str(root.safety_identifier);
  if (safety !== undefined) extras.push({ name: 'safety_identifier', value: safety });

  const streamOptions = obj(root.stream_options);
  const stream = root.stream === true;
  const effort = EFFORTS.find((candidate) => candidate === root.reasoning_effort);
  const reasoning: IrReasoningConfig | undefined = effort
    ? { mode: effort === 'none' ? 'disabled' : 'enabled', effort }
    : undefined;

  return {
    model,
    system,
    messages,
    tools: decodeTools(root.tools),
    toolChoice: decodeToolChoice(root.tool_choice, extras),
    parallelToolCalls: bool(root.parallel_tool_calls),
    maxOutputTokens: int(root.max_completion_tokens) ?? int(root.max_tokens),
    temperature: num(root.temperature),
    topP: num(root.top_p),
    topK: int(root.top_k),
    stop: decodeStop(root.stop),
    seed: int(root.seed),
    presencePenalty: num(root.presence_penalty),
    frequencyPenalty: num(root.frequency_penalty),
    reasoning,
    responseFormat: decodeResponseFormat(root.response_format),
    stream,
    wantUsage: stream && streamOptions?.include_usage === true,
    user: str(root.user),
    extras,
    source: 'openai-chat',
  };
}

function decodeMessage(raw: unknown, i: number, system: IrTextPart[], messages: IrMessage[]): void {
  const message = obj(raw);
  if (!message) throw invalidRequest(`messages[${i}] must be an object`, `messages[${i}]`);
  const role = str(message.role);
  switch (role) {
    case 'system':
    case 'developer':
      // Hoisted: other wires have one system prompt; order among system texts is kept.
      system.push(...textParts(message.content, i));
      return;
    case 'user':
      pushMessage(messages, 'user', userParts(message.content, i));
      return;
    case 'assistant':
      pushMessage(messages, 'assistant', assistantParts(message, i));
      return;
    case 'tool': {
      const callId = str(message.tool_call_id);
      if (!callId)
        throw invalidRequest(`messages[${i}].tool_call_id is required`, `messages[${i}].tool_call_id`);
      const result: IrToolResultPart = {
        type: 'tool_result',
        callId,
        content: toolResultContent(message.content, i),
      };
      pushMessage(messages, 'tool', [result]);
      return;
    }
    case 'function': {
      // Legacy functions API: the result is matched by name; the id is the name.
      const name = str(message.name) ?? '';
      const result: IrToolResultPart = {
        type: 'tool_result',
        callId: name,
        name,
        content: toolResultContent(message.content, i),
      };
      pushMessage(messages, 'tool', [result]);
      return;
    }
    default:
      throw invalidRequest(
        `messages[${i}].role must be one of system, developer, user, assistant, tool`,
        `messages[${i}].role`,
      );
  }
}

/** Consecutive tool messages become one IR tool turn (every other wire groups results). */
function pushMessage(messages: IrMessage[], role: IrMessage['role'], parts: IrPart[]): void {
  const last = messages[messages.length - 1];
  if (role === 'tool' && last?.role === 'tool') {
    last.parts.push(...parts);
    return;
  }
  messages.push({ role, parts });
}

function textParts(content: unknown, i: number): IrTextPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const list = arr(content);
  if (!list) {
    if (content === null || content === undefined) return [];
    throw invalidRequest(`messages[${i}].content must be a string or an array`, `messages[${i}].content`);
  }
  const out: IrTextPart[] = [];
  for (const item of list) {
    const part = obj(item);
    const text = part && str(part.text);
    if (text !== undefined) out.push({ type: 'text', text });
  }
  return out;
}

function userParts(content: unknown, i: number): IrContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const list = arr(content);
  if (!list)
    throw invalidRequest(`messages[${i}].content must be a string or an array`, `messages[${i}].content`);
  return list.map((item, j) => decodeContentPart(item, `messages[${i}].content[${j}]`));
}

function decodeContentPart(item: unknown, where: string): IrContentPart {
  const part = obj(item);
  if (!part) throw invalidRequest(`${where} must be an object`, where);
  switch (part.type) {
    case 'text':
      return { type: 'text', text: str(part.text) ?? '' };
    case 'image_url': {
      const image = obj(part.image_url);
      const url = image ? str(image.url) : str(part.image_url);
      if (!url) throw invalidRequest(`${where}.image_url.url is required`, where);
      const detail = image ? str(image.detail) : undefined;
      const data = parseDataUrl(url);
      if (url.startsWith('data:') && !data)
        throw invalidRequest(`${where}: only base64 data URLs are accepted`, where);
      return {
        type: 'image',
        source: data ? { kind: 'base64', mediaType: data.mediaType, data: data.data } : { kind: 'url', url },
        ...(detail ? { detail } : {}),
      };
    }
    case 'input_audio': {
      const audio = obj(part.input_audio);
      const data = audio && str(audio.data);
      if (!audio || !data) throw invalidRequest(`${where}.input_audio.data is required`, where);
      return { type: 'file', mediaType: `audio/${str(audio.format) ?? 'wav'}`, data };
    }
    case 'file': {
      const file = obj(part.file) ?? {};
      const fileData = str(file.file_data);
      const parsed = fileData ? parseDataUrl(fileData) : null;
      return {
        type: 'file',
        ...(parsed ? { mediaType: parsed.mediaType, data: parsed.data } : fileData ? { data: fileData } : {}),
        ...(str(file.file_id) ? { fileId: str(file.file_id) } : {}),
        ...(str(file.filename) ? { filename: str(file.filename) } : {}),
      };
    }
    default:
      throw invalidRequest(`${where}.type ${JSON.stringify(part.type)} is not supported`, where);
  }
}

function assistantParts(message: JsonObject, i: number): IrPart[] {
  const parts: IrPart[] = [];
  // Echoed reasoning (DeepSeek thinking mode needs it back on tool-call turns).
  const reasoning = str(message.reasoning_content) ?? str(message.reasoning);
  if (reasoning) parts.push({ type: 'reasoning', text: reasoning, provider: 'openai-compatible' });
  if (typeof message.content === 'string') {
    if (message.content.length > 0) parts.push({ type: 'text', text: message.content });
  } else {
    const list = arr(message.content);
    for (const item of list ?? []) {
      const part = obj(item);
      if (!part) continue;
      if (part.type === 'text') parts.push({ type: 'text', text: str(part.text) ?? '' });
      else if (part.type === 'refusal')
        parts.push({ type: 'text', text: str(part.refusal) ?? '', refusal: true });
    }
  }
  const refusal = str(message.refusal);
  if (refusal) parts.push({ type: 'text', text: refusal, refusal: true });
  const calls = arr(message.tool_calls) ?? [];
  calls.forEach((raw, j) => parts.push(decodeToolCall(raw, `messages[${i}].tool_calls[${j}]`)));
  const legacy = obj(message.function_call);
  if (legacy) {
    const name = str(legacy.name) ?? '';
    parts.push({ type: 'tool_call', id: name, name, argsJson: str(legacy.arguments) ?? '{}' });
  }
  return parts;
}

function decodeToolCall(raw: unknown, where: string): IrToolCallPart {
  const call = obj(raw);
  if (!call) throw invalidRequest(`${where} must be an object`, where);
  const id = str(call.id);
  if (!id) throw invalidRequest(`${where}.id is required`, where);
  if (call.type === 'custom') {
    const custom = obj(call.custom) ?? {};
    const input = str(custom.input) ?? '';
    return {
      type: 'tool_call',
      id,
      name: str(custom.name) ?? '',
      argsJson: customArgsJson(input),
      custom: { input },
    };
  }
  const fn = obj(call.function);
  const name = fn && str(fn.name);
  if (!fn || !name) throw invalidRequest(`${where}.function.name is required`, where);
  return { type: 'tool_call', id, name, argsJson: str(fn.arguments) ?? '' };
}

function toolResultContent(content: unknown, i: number): IrToolResultPart['content'] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (content === null || content === undefined) return [];
  const list = arr(content);
  if (!list)
    throw invalidRequest(`messages[${i}].content must be a string or an array`, `messages[${i}].content`);
  return list.map((item, j) => decodeContentPart(item, `messages[${i}].content[${j}]`));
}

function decodeTools(raw: unknown): IrTool[] {
  const list = arr(raw);
  if (!list) return [];
  return list.map((item, i): IrTool => {
    const tool = obj(item);
    if (!tool) throw invalidRequest(`tools[${i}] must be an object`, `tools[${i}]`);
    if (tool.type === 'custom') {
      const custom = obj(tool.custom) ?? {};
      const name = str(custom.name);
      if (!name) throw invalidRequest(`tools[${i}].custom.name is required`, `tools[${i}]`);
      return { kind: 'custom', name, description: str(custom.description), format: custom.format };
    }
    const fn = obj(tool.function);
    const name = fn && str(fn.name);
    if (!fn || !name) throw invalidRequest(`tools[${i}].function.name is required`, `tools[${i}]`);
    return {
      kind: 'function',
      name,
      description: str(fn.description),
      parameters: obj(fn.parameters),
      strict: bool(fn.strict),
    };
  });
}

function decodeToolChoice(raw: unknown, extras: IrExtra[]): IrToolChoice | undefined {
  if (raw === 'auto' || raw === 'none' || raw === 'required') return { type: raw };
  const choice = obj(raw);
  if (!choice) return undefined;
  if (choice.type === 'function') {
    const fn = obj(choice.function);
    const name = fn && str(fn.name);
    if (name) return { type: 'tool', name };
  }
  if (choice.type === 'custom') {
    const custom = obj(choice.custom);
    const name = custom && str(custom.name);
    if (name) return { type: 'tool', name };
  }
  // allowed_tools and other forms the IR cannot express
  extras.push({ name: 'tool_choice', value: choice });
  return undefined;
}

function decodeStop(raw: unknown): string[] {
  if (typeof raw === 'string') return [raw];
  const list = arr(raw);
  if (!list) return [];
  const out: string[] = [];
  for (const item of list) if (typeof item === 'string') out.push(item);
  return out;
}

export function decodeResponseFormat(raw: unknown): IrResponseFormat | undefined {
  const format = obj(raw);
  if (!format) return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json_schema') {
    // Chat nests the schema under json_schema; Responses text.format is flat.
    const spec = obj(format.json_schema) ?? format;
    const schema = obj(spec.schema) ?? {};
    return {
      type: 'json_schema',
      schema,
      ...(str(spec.name) ? { name: str(spec.name) } : {}),
      ...(bool(spec.strict) !== undefined ? { strict: bool(spec.strict) } : {}),
      ...(str(spec.description) ? { description: str(spec.description) } : {}),
    };
  }
  return undefined;
}
