import { JsonObject, JsonValue } from '@switchyard/common';
import { IrContentPart, IrMessage, IrPart, IrRequest, IrToolResultPart } from '../ir/ir-request';
import { parseDataUrl } from '../shared/data-url';
import { budgetForEffort } from '../shared/effort';
import { invalidRequest } from '../shared/errors';
import { sanitizeToolId } from '../shared/ids';
import { stripSignature } from '../shared/opaque';
import { obj, parseJson } from '../shared/read';
import { customToolSchema, ToolNames } from '../shared/tool-names';
import { EncodedRequest, RequestEncodeOptions, TranslationLog } from '../shared/translation-log';

/** Used when the client sent no output limit: Anthropic requires `max_tokens`. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;
const MIN_THINKING_BUDGET = 1024;
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/**
 * Encodes the IR as an Anthropic Messages request. Tool results are grouped into one user turn
 * ahead of any other user content; thinking blocks Anthropic produced go back first and
 * unchanged; reasoning from other providers never reaches Anthropic.
 */
export function encodeAnthropicRequest(ir: IrRequest, options: RequestEncodeOptions): EncodedRequest {
  const log = new TranslationLog(
    'anthropic-messages',
    options.upstreamKind ?? 'anthropic',
    options.droppable,
  );
  const names = new ToolNames(ir.tools);
  const maxTokens = ir.maxOutputTokens ?? options.defaultMaxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS;
  const body: JsonObject = { model: options.model, max_tokens: maxTokens };
  const thinking = encodeThinking(ir, maxTokens, log);
  if (ir.system.length > 0) {
    body.system = ir.system.map((part) => withCache({ type: 'text', text: part.text }, part.cache));
  }
  body.messages = encodeMessages(ir.messages, names, log);
  if (thinking) body.thinking = thinking;
  const effort = ir.reasoning?.effort;
  if (ir.reasoning?.mode === 'adaptive' && effort && effort !== 'none') body.output_config = { effort };

  const tools = encodeTools(ir, names, log);
  if (tools.length > 0) {
    body.tools = tools;
    const choice = encodeToolChoice(ir, names);
    if (choice) body.tool_choice = choice;
  }
  const thinkingOn = thinking !== null && thinking.type !== 'disabled';
  if (ir.temperature !== undefined) {
    // With thinking on, Anthropic refuses any non-default temperature; without, it takes 0..1.
    if (thinkingOn) log.drop('temperature');
    else body.temperature = Math.min(1, Math.max(0, ir.temperature));
  }
  if (ir.topP !== undefined) {
    if (thinkingOn && ir.topP < 0.95) log.drop('top_p');
    else body.top_p = ir.topP;
  }
  if (ir.topK !== undefined) {
    if (thinkingOn) log.drop('top_k');
    else body.top_k = ir.topK;
  }
  if (ir.stop.length > 0) body.stop_sequences = ir.stop;
  if (ir.seed !== undefined) log.refuse('seed');
  if (ir.presencePenalty) log.refuse('presence_penalty');
  if (ir.frequencyPenalty) log.refuse('frequency_penalty');
  const format = ir.responseFormat;
  if (format?.type === 'json_schema') {
    body.output_config = {
      ...(obj(body.output_config) ?? {}),
      format: { type: 'json_schema', schema: format.schema },
    };
  } else if (format?.type === 'json_object') {
    log.refuse('response_format', 'Anthropic has structured output (json_schema) but no JSON mode');
  }
  if (ir.user !== undefined) body.metadata = { user_id: ir.user };
  for (const extra of log.carriedExtras(ir)) body[extra.name] = extra.value;
  if (ir.stream) body.stream = true;
  return { body: JSON.stringify(body), dropped: log.dropped };
}

function encodeThinking(ir: IrRequest, maxTokens: number, log: TranslationLog): JsonObject | null {
  const reasoning = ir.reasoning;
  if (!reasoning) return null;
  if (reasoning.mode === 'disabled' || reasoning.effort === 'none') return { type: 'disabled' };
  const withDisplay = (thinking: JsonObject): JsonObject => {
    if (reasoning.display) thinking.display = reasoning.display;
    return thinking;
  };
  if (reasoning.mode === 'adaptive') return withDisplay({ type: 'adaptive' });
  const wanted = reasoning.budgetTokens ?? (reasoning.effort ? budgetForEffort(reasoning.effort) : undefined);
  if (wanted === undefined) return null;
  if (maxTokens <= MIN_THINKING_BUDGET) {
    // No room for the minimum budget under the client's own output limit.
    log.drop('reasoning');
    return null;
  }
  const budget = Math.max(MIN_THINKING_BUDGET, Math.min(wanted, maxTokens - 1));
  return withDisplay({ type: 'enabled', budget_tokens: budget });
}

function encodeToolChoice(ir: IrRequest, names: ToolNames): JsonObject | null {
  const choice = ir.toolChoice;
  if (choice?.type === 'none') return { type: 'none' };
  let encoded: JsonObject;
  if (!choice) {
    if (ir.parallelToolCalls !== false) return null;
    encoded = { type: 'auto' };
  } else if (choice.type === 'tool') {
    const declared = ir.tools.find((tool) => tool.kind !== 'hosted' && tool.name === choice.name);
    const namespace = declared && declared.kind !== 'hosted' ? declared.namespace : undefined;
    encoded = { type: 'tool', name: names.wireName(choice.name, namespace) };
  } else {
    encoded = { type: choice.type === 'required' ? 'any' : 'auto' };
  }
  if (ir.parallelToolCalls === false) encoded.disable_parallel_tool_use = true;
  return encoded;
}

function encodeTools(ir: IrRequest, names: ToolNames, log: TranslationLog): JsonObject[] {
  const out: JsonObject[] = [];
  for (const tool of ir.tools) {
    if (tool.kind === 'hosted') {
      if (tool.wire === 'anthropic-messages') out.push(tool.raw);
      else log.refuse(`tools.${tool.toolType}`, 'hosted tools only run on their own vendor');
      continue;
    }
    const encoded: JsonObject = { name: names.wireName(tool.name, tool.namespace) };
    if (tool.description !== undefined) encoded.description = tool.description;
    encoded.input_schema =
      tool.kind === 'custom' ? customToolSchema() : (tool.parameters ?? { type: 'object', properties: {} });
    if (tool.kind === 'function') {
      // OpenAI's strict schemas need Anthropic's structured-outputs beta: kept only when the client was Anthropic.
      if (tool.strict !== undefined) {
        if (ir.source === 'anthropic-messages') encoded.strict = tool.strict;
        else if (tool.strict) log.drop('strict');
      }
      if (tool.cache) encoded.cache_control = tool.cache;
      if (tool.anthropicExtra) Object.assign(encoded, tool.anthropicExtra);
    }
    out.push(encoded);
  }
  return out;
}

function encodeMessages(messages: readonly IrMessage[], names: ToolNames, log: TranslationLog): JsonObject[] {
  const out: Array<{ role: 'user' | 'assistant'; content: JsonObject[] }> = [];
  const push = (role: 'user' | 'assistant', blocks: JsonObject[]): void => {
    if (blocks.length === 0) return;
    const last = out[out.length - 1];
    // Anthropic wants alternating turns: tool results and the user text after them share one.
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const message of messages) {
    if (message.role === 'assistant') push('assistant', assistantBlocks(message.parts, names, log));
    else push('user', userBlocks(message.parts, log));
  }
  return out.map((turn) => ({ role: turn.role, content: turn.content }));
}

function assistantBlocks(parts: readonly IrPart[], names: ToolNames, log: TranslationLog): JsonObject[] {
  const thinking: JsonObject[] = [];
  const rest: JsonObject[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'reasoning':
        // Only Anthropic's own signed thinking may go back; it must lead the turn.
        if (part.provider !== 'anthropic') break;
        if (part.redacted && part.opaque)
          thinking.push(withCache({ type: 'redacted_thinking', data: part.opaque }, part.cache));
        else if (part.signature)
          thinking.push(
            withCache({ type: 'thinking', thinking: part.text, signature: part.signature }, part.cache),
          );
        break;
      case 'text':
        if (part.text.length > 0) rest.push(withCache({ type: 'text', text: part.text }, part.cache));
        break;
      case 'tool_call':
        rest.push(
          withCache(
            {
              type: 'tool_use',
              id: sanitizeToolId(stripSignature(part.id)),
              name: names.wireName(part.name, part.namespace),
              input: parseArgs(part.argsJson),
            },
            part.cache,
          ),
        );
        break;
      default:
        rest.push(...contentBlock(part, log));
    }
  }
  return [...thinking, ...rest];
}

function userBlocks(parts: readonly IrPart[], log: TranslationLog): JsonObject[] {
  const results: JsonObject[] = [];
  const rest: JsonObject[] = [];
  for (const part of parts) {
    if (part.type === 'tool_result') results.push(toolResultBlock(part, log));
    // Anthropic refuses empty text blocks ("text content blocks must be non-empty").
    else if (part.type === 'text') {
      if (part.text.length > 0) rest.push(withCache({ type: 'text', text: part.text }, part.cache));
    } else rest.push(...contentBlock(part, log));
  }
  return [...results, ...rest];
}

function toolResultBlock(part: IrToolResultPart, log: TranslationLog): JsonObject {
  const block: JsonObject = { type: 'tool_result', tool_use_id: sanitizeToolId(stripSignature(part.callId)) };
  const onlyText = part.content.every((item) => item.type === 'text');
  if (onlyText) {
    block.content = part.content.map((item) => (item.type === 'text' ? item.text : '')).join('\n');
  } else {
    const content: JsonObject[] = [];
    for (const item of part.content) content.push(...contentBlock(item, log));
    block.content = content;
  }
  if (part.isError) block.is_error = true;
  if (part.cache) block.cache_control = part.cache;
  return block;
}

function contentBlock(part: IrContentPart | IrPart, log: TranslationLog): JsonObject[] {
  switch (part.type) {
    case 'text':
      return [withCache({ type: 'text', text: part.text }, part.cache)];
    case 'image': {
      if (part.detail) log.drop('detail');
      if (part.source.kind === 'url')
        return [withCache({ type: 'image', source: { type: 'url', url: part.source.url } }, part.cache)];
      const { mediaType, data } = part.source;
      if (!IMAGE_TYPES.has(mediaType))
        log.refuse('image', `media type ${mediaType} (Anthropic takes jpeg, png, gif, webp)`);
      return [
        withCache({ type: 'image', source: { type: 'base64', media_type: mediaType, data } }, part.cache),
      ];
    }
    case 'file': {
      if (part.mediaType?.startsWith('audio/')) {
        log.refuse('input_audio', 'Anthropic takes no audio input');
        return [];
      }
      const document = (source: JsonObject): JsonObject[] => {
        const block: JsonObject = { type: 'document', source };
        if (part.filename) block.title = part.filename;
        return [withCache(block, part.cache)];
      };
      if (part.data !== undefined) {
        const parsed = part.data.startsWith('data:') ? parseDataUrl(part.data) : null;
        const mediaType = parsed?.mediaType ?? part.mediaType ?? 'application/pdf';
        const data = parsed?.data ?? part.data;
        if (mediaType === 'text/plain') {
          return document({
            type: 'text',
            media_type: 'text/plain',
            data: Buffer.from(data, 'base64').toString('utf8'),
          });
        }
        if (IMAGE_TYPES.has(mediaType))
          return [
            withCache({ type: 'image', source: { type: 'base64', media_type: mediaType, data } }, part.cache),
          ];
        return document({ type: 'base64', media_type: mediaType, data });
      }
      if (part.url) return document({ type: 'url', url: part.url });
      log.refuse('file_id', 'file ids belong to the provider that issued them');
      return [];
    }
    default:
      return [];
  }
}

function withCache(block: JsonObject, cache: JsonObject | undefined): JsonObject {
  if (cache) block.cache_control = cache;
  return block;
}

/** Tool arguments as the object Anthropic needs: empty means `{}`; invalid JSON is the client's 400. */
function parseArgs(argsJson: string): JsonValue {
  if (argsJson.trim() === '') return {};
  const value = parseJson(argsJson);
  if (value === undefined || obj(value) === undefined) {
    throw invalidRequest('tool call arguments must be a JSON object', 'tool_calls.function.arguments');
  }
  return value;
}
