import { JsonObject, JsonValue } from '@switchyard/common';
import { IrContentPart, IrPart, IrRequest, IrTool } from '../ir/ir-request';
import { toDataUrl } from '../shared/data-url';
import { requestedEffort } from '../shared/effort';
import { stripSignature } from '../shared/opaque';
import { EncodedRequest, RequestEncodeOptions, TranslationLog } from '../shared/translation-log';

/**
 * Encodes the IR as an OpenAI Responses request. Translated requests are stateless
 * (`store: false`) and ask for `reasoning.encrypted_content`, so reasoning can ride back to the
 * client and return on the next turn without server-side state.
 */
export function encodeResponsesRequest(ir: IrRequest, options: RequestEncodeOptions): EncodedRequest {
  const log = new TranslationLog('openai-responses', options.upstreamKind ?? 'openai', options.droppable);
  const body: JsonObject = { model: options.model };
  if (ir.system.length > 0) {
    if (ir.system.some((part) => part.cache)) log.drop('cache_control');
    body.instructions = ir.system.map((part) => part.text).join('\n\n');
  }
  body.input = encodeInput(ir, log);
  const tools = encodeTools(ir.tools, log);
  if (tools.length > 0) {
    body.tools = tools;
    const choice = ir.toolChoice;
    if (choice) {
      if (choice.type !== 'tool') body.tool_choice = choice.type;
      else {
        const custom = ir.tools.some((tool) => tool.kind === 'custom' && tool.name === choice.name);
        body.tool_choice = { type: custom ? 'custom' : 'function', name: choice.name };
      }
    }
    if (ir.parallelToolCalls !== undefined) body.parallel_tool_calls = ir.parallelToolCalls;
  }
  if (ir.maxOutputTokens !== undefined) body.max_output_tokens = ir.maxOutputTokens;
  if (ir.temperature !== undefined) body.temperature = ir.temperature;
  if (ir.topP !== undefined) body.top_p = ir.topP;
  if (ir.topK !== undefined) log.refuse('top_k');
  if (ir.stop.length > 0) log.refuse('stop', 'the Responses API has no stop sequences');
  if (ir.seed !== undefined) log.refuse('seed');
  if (ir.presencePenalty) log.refuse('presence_penalty');
  if (ir.frequencyPenalty) log.refuse('frequency_penalty');

  const effort = requestedEffort(ir.reasoning);
  const summary = ir.reasoning?.summary ?? (ir.reasoning?.includeThoughts ? 'auto' : undefined);
  if (effort !== undefined || summary !== undefined) {
    const reasoning: JsonObject = {};
    if (effort !== undefined) reasoning.effort = effort === 'max' ? 'xhigh' : effort;
    if (summary !== undefined) reasoning.summary = summary;
    body.reasoning = reasoning;
  }
  const text: JsonObject = {};
  const format = ir.responseFormat;
  if (format?.type === 'json_object') text.format = { type: 'json_object' };
  else if (format?.type === 'json_schema') {
    const spec: JsonObject = { type: 'json_schema', name: format.name ?? 'response', schema: format.schema };
    if (format.strict !== undefined) spec.strict = format.strict;
    if (format.description !== undefined) spec.description = format.description;
    text.format = spec;
  }
  if (ir.user !== undefined) body.user = ir.user;
  for (const extra of log.carriedExtras(ir)) {
    if (extra.name === 'verbosity') text.verbosity = extra.value;
    else body[extra.name] = extra.value;
  }
  if (Object.keys(text).length > 0) body.text = text;
  if (ir.source !== 'openai-responses') {
    // Stateless: reasoning comes back encrypted and is carried to the client (see opaque.ts).
    body.store = false;
    body.include = ['reasoning.encrypted_content'];
  }
  if (ir.stream) body.stream = true;
  return { body: JSON.stringify(body), dropped: log.dropped };
}

function encodeInput(ir: IrRequest, log: TranslationLog): JsonObject[] {
  const items: JsonObject[] = [];
  for (const message of ir.messages) {
    if (message.role === 'user') {
      const content = inputParts(message.parts, log);
      if (content.length > 0) items.push({ role: 'user', content });
      continue;
    }
    if (message.role === 'tool') {
      for (const part of message.parts) {
        if (part.type !== 'tool_result') continue;
        const onlyText = part.content.every((item) => item.type === 'text');
        const output: JsonValue = onlyText
          ? (part.isError ? 'Error: ' : '') +
            part.content.map((item) => (item.type === 'text' ? item.text : '')).join('\n')
          : inputParts(part.content, log);
        items.push({
          type: part.custom ? 'custom_tool_call_output' : 'function_call_output',
          call_id: stripSignature(part.callId),
          output,
        });
      }
      continue;
    }
    let text = '';
    const flushText = (): void => {
      if (text) items.push({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });
      text = '';
    };
    for (const part of message.parts) {
      if (part.type === 'text') {
        text += part.text;
        continue;
      }
      flushText();
      if (part.type === 'reasoning') {
        // Only OpenAI's own encrypted reasoning can go back; other providers' is never forwarded.
        if (part.provider !== 'openai' || !part.opaque) continue;
        const item: JsonObject = {
          type: 'reasoning',
          summary: part.text ? [{ type: 'summary_text', text: part.text }] : [],
          encrypted_content: part.opaque,
        };
        if (part.id) item.id = part.id;
        items.push(item);
      } else if (part.type === 'tool_call') {
        const item: JsonObject = part.custom
          ? {
              type: 'custom_tool_call',
              call_id: stripSignature(part.id),
              name: part.name,
              input: part.custom.input,
            }
          : {
              type: 'function_call',
              call_id: stripSignature(part.id),
              name: part.name,
              arguments: part.argsJson.trim() === '' ? '{}' : part.argsJson,
            };
        if (part.namespace) item.namespace = part.namespace;
        items.push(item);
      }
    }
    flushText();
  }
  return items;
}

function inputParts(parts: readonly (IrPart | IrContentPart)[], log: TranslationLog): JsonObject[] {
  const out: JsonObject[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'text':
        out.push({ type: 'input_text', text: part.text });
        break;
      case 'image': {
        const url =
          part.source.kind === 'url' ? part.source.url : toDataUrl(part.source.mediaType, part.source.data);
        out.push({ type: 'input_image', image_url: url, detail: part.detail ?? 'auto' });
        break;
      }
      case 'file': {
        if (part.mediaType?.startsWith('audio/')) {
          log.refuse('input_audio', 'the Responses API takes no audio input');
          break;
        }
        const file: JsonObject = { type: 'input_file' };
        if (part.data) file.file_data = toDataUrl(part.mediaType ?? 'application/pdf', part.data);
        else if (part.fileId) file.file_id = part.fileId;
        else if (part.url) file.file_url = part.url;
        if (part.filename) file.filename = part.filename;
        out.push(file);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

function encodeTools(tools: readonly IrTool[], log: TranslationLog): JsonObject[] {
  const out: JsonObject[] = [];
  const namespaces = new Map<string, JsonObject[]>();
  for (const tool of tools) {
    if (tool.kind === 'hosted') {
      if (tool.wire === 'openai-responses') out.push(tool.raw);
      else log.refuse(`tools.${tool.toolType}`, 'hosted tools only run on their own vendor');
      continue;
    }
    const encoded: JsonObject = { type: tool.kind, name: tool.name };
    if (tool.description !== undefined) encoded.description = tool.description;
    if (tool.kind === 'function') {
      if (tool.cache) log.drop('cache_control');
      encoded.parameters = tool.parameters ?? { type: 'object', properties: {} };
      if (tool.strict !== undefined) encoded.strict = tool.strict;
    } else if (tool.format !== undefined) {
      encoded.format = tool.format;
    }
    if (!tool.namespace) {
      out.push(encoded);
      continue;
    }
    let group = namespaces.get(tool.namespace);
    if (!group) {
      group = [];
      namespaces.set(tool.namespace, group);
      out.push({ type: 'namespace', name: tool.namespace, description: '', tools: group });
    }
    group.push(encoded);
  }
  return out;
}
