import { JsonObject, JsonValue } from '@switchyard/common';
import { IrContentPart, IrMessage, IrPart, IrRequest, IrTool, IrToolResultPart } from '../ir/ir-request';
import { COMPAT_PROFILES, CompatProfile } from '../openai-compatible/compat-profiles';
import { toDataUrl } from '../shared/data-url';
import { nearestEffort, requestedEffort } from '../shared/effort';
import { stripSignature } from '../shared/opaque';
import { customToolSchema, ToolNames } from '../shared/tool-names';
import { EncodedRequest, RequestEncodeOptions, TranslationLog } from '../shared/translation-log';

export interface OpenAiChatEncodeOptions extends RequestEncodeOptions {
  /** Quirks of the server; OpenAI itself when absent. */
  profile?: CompatProfile;
}

/**
 * Encodes the IR as a Chat Completions request for an OpenAI or OpenAI-compatible upstream.
 * Always asks for usage on streams (billing needs it; the client encoder hides it if unasked).
 */
export function encodeOpenAiChatRequest(ir: IrRequest, options: OpenAiChatEncodeOptions): EncodedRequest {
  const profile = options.profile ?? COMPAT_PROFILES.openai;
  const log = new TranslationLog(
    'openai-chat',
    options.upstreamKind ?? (profile.id === 'openai' ? 'openai' : 'openai_compatible'),
    options.droppable,
  );
  const names = new ToolNames(ir.tools);
  const body: JsonObject = { model: options.model, messages: encodeMessages(ir, names, profile, log) };

  if (ir.tools.length > 0) {
    const tools = encodeTools(ir.tools, names, profile, log);
    if (tools.length > 0) body.tools = tools;
  }
  if (ir.toolChoice && body.tools) {
    const choice = ir.toolChoice;
    if (choice.type === 'tool') {
      const declared = ir.tools.find((tool) => tool.kind !== 'hosted' && tool.name === choice.name);
      body.tool_choice =
        declared?.kind === 'custom' && profile.customTools
          ? { type: 'custom', custom: { name: choice.name } }
          : {
              type: 'function',
              function: {
                name: names.wireName(
                  choice.name,
                  declared?.kind === 'hosted' ? undefined : declared?.namespace,
                ),
              },
            };
    } else {
      body.tool_choice = choice.type;
    }
  }
  if (ir.parallelToolCalls !== undefined && body.tools) {
    if (profile.parallelToolCalls) body.parallel_tool_calls = ir.parallelToolCalls;
    else log.drop('parallel_tool_calls');
  }
  if (ir.maxOutputTokens !== undefined) body[profile.maxTokensField] = ir.maxOutputTokens;
  if (ir.temperature !== undefined) body.temperature = ir.temperature;
  if (ir.topP !== undefined) body.top_p = ir.topP;
  if (ir.topK !== undefined) {
    if (profile.topK) body.top_k = ir.topK;
    else log.refuse('top_k');
  }
  const reasoningModel = profile.reasoningModelRejects?.models.test(options.model)
    ? profile.reasoningModelRejects
    : null;
  if (ir.stop.length > 0) {
    if (reasoningModel?.params.includes('stop'))
      log.refuse('stop', `${options.model} does not accept stop sequences`);
    else body.stop = ir.stop;
  }
  if (ir.seed !== undefined) {
    if (profile.seed) body.seed = ir.seed;
    else log.refuse('seed');
  }
  encodePenalty(body, 'presence_penalty', ir.presencePenalty, profile, reasoningModel?.params, log);
  encodePenalty(body, 'frequency_penalty', ir.frequencyPenalty, profile, reasoningModel?.params, log);

  const effort = requestedEffort(ir.reasoning);
  if (effort !== undefined) {
    const supported = profile.reasoningEffort;
    if (!supported) log.drop('reasoning');
    else if (effort === 'none') {
      if (supported.includes('none')) body.reasoning_effort = 'none';
      else log.drop('reasoning');
    } else {
      const level = nearestEffort(
        effort,
        supported.filter((value) => value !== 'none'),
      );
      if (level) body.reasoning_effort = level;
    }
  }

  const format = ir.responseFormat;
  if (format?.type === 'json_object') body.response_format = { type: 'json_object' };
  else if (format?.type === 'json_schema') {
    if (!profile.jsonSchema) log.refuse('response_format', 'json_schema is not supported by this server');
    else {
      const spec: JsonObject = { name: format.name ?? 'response', schema: format.schema };
      if (format.strict !== undefined) spec.strict = format.strict;
      if (format.description !== undefined) spec.description = format.description;
      body.response_format = { type: 'json_schema', json_schema: spec };
    }
  }
  if (ir.user !== undefined) {
    if (profile.user) body.user = ir.user;
    else log.drop('user');
  }
  for (const extra of log.carriedExtras(ir)) body[extra.name] = extra.value;
  if (ir.stream) {
    body.stream = true;
    // Billing needs usage even when the client did not ask; the client encoder hides the chunk.
    if (profile.streamOptions) body.stream_options = { include_usage: true };
  }
  return { body: JSON.stringify(body), dropped: log.dropped };
}

function encodePenalty(
  body: JsonObject,
  name: 'presence_penalty' | 'frequency_penalty',
  value: number | undefined,
  profile: CompatProfile,
  reasoningRejects: readonly string[] | undefined,
  log: TranslationLog,
): void {
  if (value === undefined || value === 0) return; // 0 is the default: honoured by leaving it out
  if (!profile.penalties || reasoningRejects?.includes(name)) log.refuse(name);
  else body[name] = value;
}

function encodeMessages(
  ir: IrRequest,
  names: ToolNames,
  profile: CompatProfile,
  log: TranslationLog,
): JsonObject[] {
  const out: JsonObject[] = [];
  if (ir.system.length > 0) {
    if (ir.system.some((part) => part.cache)) log.drop('cache_control');
    out.push({ role: 'system', content: ir.system.map((part) => part.text).join('\n\n') });
  }
  for (const message of ir.messages) encodeMessage(message, out, names, profile, log);
  return out;
}

function encodeMessage(
  message: IrMessage,
  out: JsonObject[],
  names: ToolNames,
  profile: CompatProfile,
  log: TranslationLog,
): void {
  if (message.parts.some((part) => 'cache' in part && part.cache)) log.drop('cache_control');
  switch (message.role) {
    case 'user': {
      const content = encodeContent(message.parts, log);
      if (content !== null) out.push({ role: 'user', content });
      return;
    }
    case 'assistant':
      out.push(encodeAssistant(message.parts, names, profile));
      return;
    case 'tool': {
      // One tool message per result; images a tool returned follow in a user message (decision:
      // Chat tool messages carry text only).
      const images: IrContentPart[] = [];
      const rest: IrPart[] = [];
      for (const part of message.parts) {
        if (part.type !== 'tool_result') {
          rest.push(part);
          continue;
        }
        out.push({ role: 'tool', tool_call_id: stripSignature(part.callId), content: toolResultText(part) });
        for (const item of part.content) if (item.type !== 'text') images.push(item);
      }
      const userContent = encodeContent([...images, ...rest], log);
      if (userContent !== null) out.push({ role: 'user', content: userContent });
      return;
    }
  }
}

function toolResultText(part: IrToolResultPart): string {
  let text = '';
  for (const item of part.content) if (item.type === 'text') text += text ? `\n${item.text}` : item.text;
  return part.isError ? `Error: ${text}` : text;
}

/** User content: a plain string when it is only text (what every compatible server accepts). */
function encodeContent(parts: readonly IrPart[], log: TranslationLog): JsonValue {
  const items: JsonObject[] = [];
  let onlyText = true;
  for (const part of parts) {
    switch (part.type) {
      case 'text':
        items.push({ type: 'text', text: part.text });
        break;
      case 'image': {
        onlyText = false;
        const url =
          part.source.kind === 'url' ? part.source.url : toDataUrl(part.source.mediaType, part.source.data);
        items.push({ type: 'image_url', image_url: part.detail ? { url, detail: part.detail } : { url } });
        break;
      }
      case 'file':
        onlyText = false;
        items.push(encodeFile(part, log));
        break;
      default:
        break; // tool calls/results/reasoning never appear in user content
    }
  }
  if (items.length === 0) return null;
  if (!onlyText) return items;
  let text = '';
  for (const part of parts) if (part.type === 'text') text += text ? `\n${part.text}` : part.text;
  return text;
}

function encodeFile(part: Extract<IrPart, { type: 'file' }>, log: TranslationLog): JsonObject {
  if (part.mediaType?.startsWith('audio/') && part.data) {
    return { type: 'input_audio', input_audio: { data: part.data, format: part.mediaType.slice(6) } };
  }
  const file: JsonObject = {};
  if (part.data) file.file_data = toDataUrl(part.mediaType ?? 'application/octet-stream', part.data);
  else if (part.fileId) file.file_id = part.fileId;
  else if (part.url) log.refuse('file.url', 'Chat Completions takes files as data or file ids');
  if (part.filename) file.filename = part.filename;
  return { type: 'file', file };
}

function encodeAssistant(parts: readonly IrPart[], names: ToolNames, profile: CompatProfile): JsonObject {
  let text = '';
  let refusal = '';
  let reasoning = '';
  const calls: JsonObject[] = [];
  for (const part of parts) {
    if (part.type === 'text') {
      if (part.refusal) refusal += part.text;
      else text += part.text;
    } else if (part.type === 'tool_call') {
      const id = stripSignature(part.id);
      if (part.custom && profile.customTools) {
        calls.push({ id, type: 'custom', custom: { name: part.name, input: part.custom.input } });
      } else {
        const args = part.argsJson.trim() === '' ? '{}' : part.argsJson;
        calls.push({
          id,
          type: 'function',
          function: { name: names.wireName(part.name, part.namespace), arguments: args },
        });
      }
    } else if (part.type === 'reasoning' && part.provider === 'openai-compatible' && !part.redacted) {
      // Only reasoning this kind of server produced goes back, and only where it is required.
      reasoning += part.text;
    }
  }
  const message: JsonObject = {
    role: 'assistant',
    content: text.length > 0 || calls.length === 0 ? text : null,
  };
  if (refusal) message.refusal = refusal;
  if (calls.length > 0) message.tool_calls = calls;
  if (reasoning && profile.echoReasoningContent) message.reasoning_content = reasoning;
  return message;
}

function encodeTools(
  tools: readonly IrTool[],
  names: ToolNames,
  profile: CompatProfile,
  log: TranslationLog,
): JsonObject[] {
  const out: JsonObject[] = [];
  for (const tool of tools) {
    if (tool.kind === 'hosted') {
      log.refuse(`tools.${tool.toolType}`, 'hosted tools only run on their own vendor');
      continue;
    }
    if (tool.kind === 'function' && tool.cache) log.drop('cache_control');
    if (tool.kind === 'custom' && profile.customTools) {
      const custom: JsonObject = { name: tool.name };
      if (tool.description !== undefined) custom.description = tool.description;
      if (tool.format !== undefined) custom.format = tool.format;
      out.push({ type: 'custom', custom });
      continue;
    }
    const fn: JsonObject = { name: names.wireName(tool.name, tool.namespace) };
    if (tool.description !== undefined) fn.description = tool.description;
    fn.parameters =
      tool.kind === 'custom' ? customToolSchema() : (tool.parameters ?? { type: 'object', properties: {} });
    if (tool.kind === 'function' && tool.strict !== undefined) fn.strict = tool.strict;
    out.push({ type: 'function', function: fn });
  }
  return out;
}
