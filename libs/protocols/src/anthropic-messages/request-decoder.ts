import { JsonObject } from '@switchyard/common';
import {
  IrContentPart,
  IrExtra,
  IrMessage,
  IrPart,
  IrReasoningConfig,
  IrReasoningPart,
  IrRequest,
  IrResponseFormat,
  IrTextPart,
  IrTool,
  IrToolChoice,
  IrToolResultPart,
  ReasoningEffort,
} from '../ir/ir-request';
import { invalidRequest } from '../shared/errors';
import { unwrapReasoning } from '../shared/opaque';
import { arr, bool, int, num, obj, str } from '../shared/read';

/** Top-level Messages fields without an IR field, kept as extras (see EXTRA_POLICY). */
const MESSAGES_EXTRAS = [
  'service_tier',
  'container',
  'mcp_servers',
  'context_management',
  'inference_geo',
  'cache_control',
] as const;

/** Tool fields only Anthropic understands; kept for Anthropic upstreams, dropped elsewhere. */
const TOOL_KNOWN = new Set(['name', 'description', 'input_schema', 'cache_control', 'strict', 'type']);

const EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];

export interface AnthropicDecodeOptions {
  /** `/v1/messages/count_tokens` bodies have no `max_tokens`. */
  countTokens?: boolean;
}

/**
 * Decodes an Anthropic Messages request body (already JSON-parsed) into the IR. Accepts what
 * Claude Code really sends: `role: "system"` inside `messages` (hoisted into the system prompt),
 * `cache_control` on any block (kept), thinking blocks with signatures (kept first).
 */
export function decodeAnthropicRequest(body: unknown, options: AnthropicDecodeOptions = {}): IrRequest {
  const root = obj(body);
  if (!root) throw invalidRequest('request body must be a JSON object');
  const model = str(root.model);
  if (!model) throw invalidRequest('model: Field required', 'model');
  const maxTokens = int(root.max_tokens);
  if (maxTokens === undefined && !options.countTokens)
    throw invalidRequest('max_tokens: Field required', 'max_tokens');
  const rawMessages = arr(root.messages);
  if (!rawMessages) throw invalidRequest('messages: Field required', 'messages');

  const system: IrTextPart[] = systemParts(root.system);
  const messages: IrMessage[] = [];
  const extras: IrExtra[] = [];
  rawMessages.forEach((raw, i) => decodeMessage(raw, i, system, messages, extras));

  for (const name of MESSAGES_EXTRAS) {
    const value = root[name];
    if (value !== undefined && value !== null) extras.push({ name, value });
  }
  const metadata = obj(root.metadata);
  const outputConfig = obj(root.output_config);
  const stream = root.stream === true;

  return {
    model,
    system,
    messages,
    tools: decodeTools(root.tools),
    ...decodeToolChoice(root.tool_choice),
    maxOutputTokens: maxTokens,
    temperature: num(root.temperature),
    topP: num(root.top_p),
    topK: int(root.top_k),
    stop: (arr(root.stop_sequences) ?? []).filter((item): item is string => typeof item === 'string'),
    reasoning: decodeThinking(obj(root.thinking), outputConfig),
    responseFormat: decodeFormat(outputConfig),
    stream,
    // Anthropic streams always carry usage (message_start + message_delta).
    wantUsage: stream,
    user: metadata ? str(metadata.user_id) : undefined,
    extras,
    source: 'anthropic-messages',
  };
}

function systemParts(raw: unknown): IrTextPart[] {
  if (typeof raw === 'string') return raw.length > 0 ? [{ type: 'text', text: raw }] : [];
  const list = arr(raw);
  if (!list) return [];
  const out: IrTextPart[] = [];
  for (const item of list) {
    const block = obj(item);
    const text = block && str(block.text);
    if (!block || text === undefined) continue;
    const cache = obj(block.cache_control);
    out.push(cache ? { type: 'text', text, cache } : { type: 'text', text });
  }
  return out;
}

function decodeMessage(
  raw: unknown,
  i: number,
  system: IrTextPart[],
  messages: IrMessage[],
  extras: IrExtra[],
): void {
  const message = obj(raw);
  if (!message) throw invalidRequest(`messages.${i}: must be an object`, `messages.${i}`);
  const role = str(message.role);
  if (role === 'system') {
    system.push(...systemParts(message.content));
    return;
  }
  if (role !== 'user' && role !== 'assistant') {
    throw invalidRequest(`messages.${i}.role: Input should be 'user' or 'assistant'`, `messages.${i}.role`);
  }
  const blocks =
    typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : arr(message.content);
  if (!blocks)
    throw invalidRequest(`messages.${i}.content: must be a string or an array`, `messages.${i}.content`);

  const results: IrToolResultPart[] = [];
  const parts: IrPart[] = [];
  blocks.forEach((item, j) => {
    const block = obj(item);
    if (!block)
      throw invalidRequest(`messages.${i}.content.${j}: must be an object`, `messages.${i}.content.${j}`);
    if (block.type === 'tool_result') results.push(decodeToolResult(block, `messages.${i}.content.${j}`));
    else {
      const part = decodeBlock(block, role, `messages.${i}.content.${j}`, extras);
      if (part) parts.push(part);
    }
  });
  // Tool results become their own IR turn, ahead of any text the user added after them.
  if (results.length > 0) append(messages, 'tool', results);
  if (parts.length > 0 || results.length === 0) append(messages, role, parts);
}

/** Consecutive same-role turns merge, as the Messages API itself does. */
function append(messages: IrMessage[], role: IrMessage['role'], parts: IrPart[]): void {
  const last = messages[messages.length - 1];
  if (last && last.role === role) last.parts.push(...parts);
  else messages.push({ role, parts });
}

function cacheOf(block: JsonObject): { cache?: JsonObject } {
  const cache = obj(block.cache_control);
  return cache ? { cache } : {};
}

function decodeBlock(
  block: JsonObject,
  role: 'user' | 'assistant',
  where: string,
  extras: IrExtra[],
): IrPart | null {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: str(block.text) ?? '', ...cacheOf(block) };
    case 'image':
    case 'document':
      return decodeMedia(block, where);
    case 'tool_use': {
      const id = str(block.id);
      const name = str(block.name);
      if (!id || !name) throw invalidRequest(`${where}: tool_use needs id and name`, where);
      const input = block.input === undefined ? {} : block.input;
      return { type: 'tool_call', id, name, argsJson: JSON.stringify(input), ...cacheOf(block) };
    }
    case 'thinking':
      return decodeThinkingBlock(str(block.thinking) ?? '', str(block.signature), false, cacheOf(block));
    case 'redacted_thinking':
      return decodeThinkingBlock('', str(block.data), true, cacheOf(block));
    default: {
      // server_tool_use, web_search_tool_result, search_result, container_upload…: only an
      // Anthropic upstream understands them; other encoders refuse unless droppable.
      const type = str(block.type) ?? 'unknown';
      if (!extras.some((extra) => extra.name === `content.${type}`))
        extras.push({ name: `content.${type}`, value: role });
      return null;
    }
  }
}

function decodeThinkingBlock(
  text: string,
  signature: string | undefined,
  redacted: boolean,
  cache: { cache?: JsonObject },
): IrReasoningPart {
  const carried = signature ? unwrapReasoning(signature) : null;
  if (carried) {
    // Reasoning another provider produced, carried through this client in our wrapper.
    return {
      type: 'reasoning',
      text: carried.text || text,
      provider: carried.provider,
      ...(carried.signature ? { signature: carried.signature } : {}),
      ...(carried.opaque ? { opaque: carried.opaque } : {}),
      ...(carried.redacted ? { redacted: true } : {}),
      ...(carried.id ? { id: carried.id } : {}),
      ...cache,
    };
  }
  if (redacted)
    return {
      type: 'reasoning',
      text: '',
      provider: 'anthropic',
      redacted: true,
      ...(signature ? { opaque: signature } : {}),
      ...cache,
    };
  return { type: 'reasoning', text, provider: 'anthropic', ...(signature ? { signature } : {}), ...cache };
}

function decodeMedia(block: JsonObject, where: string): IrContentPart {
  const source = obj(block.source);
  if (!source) throw invalidRequest(`${where}.source: Field required`, where);
  const cache = cacheOf(block);
  const mediaType = str(source.media_type);
  if (block.type === 'image') {
    if (source.type === 'base64') {
      const data = str(source.data);
      if (!data || !mediaType)
        throw invalidRequest(`${where}.source: base64 images need media_type and data`, where);
      return { type: 'image', source: { kind: 'base64', mediaType, data }, ...cache };
    }
    if (source.type === 'url') {
      const url = str(source.url);
      if (!url) throw invalidRequest(`${where}.source.url: Field required`, where);
      return { type: 'image', source: { kind: 'url', url }, ...cache };
    }
    if (source.type === 'file')
      return { type: 'file', fileId: str(source.file_id), mediaType: 'image/*', ...cache };
    throw invalidRequest(`${where}.source.type is not supported`, where);
  }
  const title = str(block.title);
  const named = title ? { filename: title } : {};
  switch (source.type) {
    case 'base64':
      return {
        type: 'file',
        mediaType: mediaType ?? 'application/pdf',
        data: str(source.data) ?? '',
        ...named,
        ...cache,
      };
    case 'text':
      return {
        type: 'file',
        mediaType: 'text/plain',
        data: Buffer.from(str(source.data) ?? '', 'utf8').toString('base64'),
        ...named,
        ...cache,
      };
    case 'url':
      return { type: 'file', url: str(source.url), mediaType: 'application/pdf', ...named, ...cache };
    case 'file':
      return { type: 'file', fileId: str(source.file_id), ...named, ...cache };
    default:
      throw invalidRequest(`${where}.source.type is not supported`, where);
  }
}

function decodeToolResult(block: JsonObject, where: string): IrToolResultPart {
  const callId = str(block.tool_use_id);
  if (!callId) throw invalidRequest(`${where}.tool_use_id: Field required`, where);
  const content: IrToolResultPart['content'] = [];
  if (typeof block.content === 'string') content.push({ type: 'text', text: block.content });
  else {
    (arr(block.content) ?? []).forEach((item, k) => {
      const inner = obj(item);
      if (!inner) return;
      if (inner.type === 'text')
        content.push({ type: 'text', text: str(inner.text) ?? '', ...cacheOf(inner) });
      else if (inner.type === 'image' || inner.type === 'document')
        content.push(decodeMedia(inner, `${where}.content.${k}`));
    });
  }
  return {
    type: 'tool_result',
    callId,
    content,
    ...(bool(block.is_error) ? { isError: true } : {}),
    ...cacheOf(block),
  };
}

function decodeTools(raw: unknown): IrTool[] {
  const list = arr(raw);
  if (!list) return [];
  return list.map((item, i): IrTool => {
    const tool = obj(item);
    if (!tool) throw invalidRequest(`tools.${i}: must be an object`, `tools.${i}`);
    const type = str(tool.type);
    if (type !== undefined && type !== 'custom') {
      return { kind: 'hosted', wire: 'anthropic-messages', toolType: type, raw: tool };
    }
    const name = str(tool.name);
    if (!name) throw invalidRequest(`tools.${i}.name: Field required`, `tools.${i}.name`);
    let extra: JsonObject | undefined;
    for (const key of Object.keys(tool)) if (!TOOL_KNOWN.has(key)) (extra ??= {})[key] = tool[key];
    const cache = obj(tool.cache_control);
    return {
      kind: 'function',
      name,
      description: str(tool.description),
      parameters: obj(tool.input_schema),
      ...(bool(tool.strict) !== undefined ? { strict: bool(tool.strict) } : {}),
      ...(cache ? { cache } : {}),
      ...(extra ? { anthropicExtra: extra } : {}),
    };
  });
}

function decodeToolChoice(raw: unknown): { toolChoice?: IrToolChoice; parallelToolCalls?: boolean } {
  const choice = obj(raw);
  if (!choice) return {};
  const parallel = bool(choice.disable_parallel_tool_use) ? { parallelToolCalls: false } : {};
  switch (choice.type) {
    case 'auto':
      return { toolChoice: { type: 'auto' }, ...parallel };
    case 'any':
      return { toolChoice: { type: 'required' }, ...parallel };
    case 'none':
      return { toolChoice: { type: 'none' }, ...parallel };
    case 'tool': {
      const name = str(choice.name);
      return name ? { toolChoice: { type: 'tool', name }, ...parallel } : parallel;
    }
    default:
      return parallel;
  }
}

function decodeThinking(
  thinking: JsonObject | undefined,
  outputConfig: JsonObject | undefined,
): IrReasoningConfig | undefined {
  const effort = EFFORTS.find((candidate) => candidate === outputConfig?.effort);
  if (!thinking) return effort ? { effort } : undefined;
  const display = str(thinking.display);
  const base: IrReasoningConfig = { ...(effort ? { effort } : {}), ...(display ? { display } : {}) };
  switch (thinking.type) {
    case 'enabled': {
      const budget = int(thinking.budget_tokens);
      return {
        ...base,
        mode: 'enabled',
        ...(budget !== undefined ? { budgetTokens: budget } : {}),
        includeThoughts: display !== 'omitted',
      };
    }
    case 'adaptive':
      return { ...base, mode: 'adaptive', includeThoughts: display !== 'omitted' };
    case 'disabled':
      return { ...base, mode: 'disabled' };
    default:
      return effort ? base : undefined;
  }
}

function decodeFormat(outputConfig: JsonObject | undefined): IrResponseFormat | undefined {
  const format = outputConfig && obj(outputConfig.format);
  if (!format || format.type !== 'json_schema') return undefined;
  return { type: 'json_schema', schema: obj(format.schema) ?? {} };
}
