import { JsonObject } from '@switchyard/common';
import {
  IrContentPart,
  IrExtra,
  IrMessage,
  IrPart,
  IrReasoningConfig,
  IrReasoningPart,
  IrRequest,
  IrTextPart,
  IrTool,
  IrToolChoice,
  IrToolResultPart,
  ReasoningEffort,
} from '../ir/ir-request';
import { decodeResponseFormat } from '../openai-chat/request-decoder';
import { parseDataUrl } from '../shared/data-url';
import { invalidRequest } from '../shared/errors';
import { unwrapReasoning } from '../shared/opaque';
import { arr, bool, int, num, obj, str } from '../shared/read';
import { customArgsJson } from '../shared/tool-names';

const RESPONSES_EXTRAS = [
  'previous_response_id',
  'conversation',
  'store',
  'include',
  'background',
  'metadata',
  'prompt_cache_key',
  'prompt_cache_retention',
  'service_tier',
  'truncation',
  'max_tool_calls',
  'client_metadata',
  'prompt',
  'top_logprobs',
  'safety_identifier',
  'context_management',
] as const;

const EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];

/**
 * Decodes an OpenAI Responses request body (already JSON-parsed) into the IR, including what Codex
 * sends: developer messages with ids (system), `additional_tools` input items (merged into the
 * tool list), namespaces, `custom` tools and their calls/outputs (raw input kept), reasoning items
 * with `encrypted_content` (kept verbatim, tagged OpenAI unless it is one of our wrappers), and
 * `function_call_output` items matched to calls by `call_id`.
 */
export function decodeResponsesRequest(body: unknown): IrRequest {
  const root = obj(body);
  if (!root) throw invalidRequest('request body must be a JSON object');
  const model = str(root.model);
  if (!model) throw invalidRequest("Missing required parameter: 'model'.", 'model');

  const system: IrTextPart[] = [];
  const instructions = str(root.instructions);
  if (instructions) system.push({ type: 'text', text: instructions });
  const messages: IrMessage[] = [];
  const tools: IrTool[] = decodeTools(root.tools, 'tools');
  const extras: IrExtra[] = [];

  if (typeof root.input === 'string')
    messages.push({ role: 'user', parts: [{ type: 'text', text: root.input }] });
  else {
    const items = arr(root.input);
    if (!items && root.input !== undefined)
      throw invalidRequest("Invalid type for 'input': expected a string or an array.", 'input');
    (items ?? []).forEach((item, i) => decodeItem(item, `input[${i}]`, system, messages, tools, extras));
  }

  for (const name of RESPONSES_EXTRAS) {
    const value = root[name];
    if (value === undefined || value === null) continue;
    extras.push({ name, value });
  }
  const text = obj(root.text);
  const verbosity = text && str(text.verbosity);
  if (verbosity) extras.push({ name: 'verbosity', value: verbosity });
  const stream = root.stream === true;

  return {
    model,
    system,
    messages,
    tools,
    toolChoice: decodeToolChoice(root.tool_choice, extras),
    parallelToolCalls: bool(root.parallel_tool_calls),
    maxOutputTokens: int(root.max_output_tokens),
    temperature: num(root.temperature),
    topP: num(root.top_p),
    stop: [],
    reasoning: decodeReasoning(obj(root.reasoning)),
    responseFormat: text ? decodeResponseFormat(text.format) : undefined,
    stream,
    // usage always rides in response.completed
    wantUsage: stream,
    user: str(root.user) ?? str(root.safety_identifier),
    extras,
    source: 'openai-responses',
  };
}

function decodeReasoning(reasoning: JsonObject | undefined): IrReasoningConfig | undefined {
  if (!reasoning) return undefined;
  const effort = EFFORTS.find((candidate) => candidate === reasoning.effort);
  const summary = str(reasoning.summary);
  if (!effort && !summary) return undefined;
  return {
    ...(effort ? { effort, mode: effort === 'none' ? 'disabled' : 'enabled' } : {}),
    ...(summary ? { summary, includeThoughts: true } : {}),
  };
}

function decodeItem(
  raw: unknown,
  where: string,
  system: IrTextPart[],
  messages: IrMessage[],
  tools: IrTool[],
  extras: IrExtra[],
): void {
  const item = obj(raw);
  if (!item) throw invalidRequest(`Invalid type for '${where}': expected an object.`, where);
  const type = str(item.type) ?? (item.role !== undefined ? 'message' : undefined);
  switch (type) {
    case 'message': {
      const role = str(item.role);
      if (role === 'system' || role === 'developer') {
        system.push(
          ...contentParts(item.content, where).filter((part): part is IrTextPart => part.type === 'text'),
        );
        return;
      }
      if (role === 'user') return append(messages, 'user', contentParts(item.content, where));
      if (role === 'assistant') return append(messages, 'assistant', contentParts(item.content, where));
      throw invalidRequest(`Invalid value for '${where}.role'.`, `${where}.role`);
    }
    case 'function_call': {
      const callId = str(item.call_id);
      const name = str(item.name);
      if (!callId || !name) throw invalidRequest(`'${where}' needs call_id and name.`, where);
      const namespace = str(item.namespace);
      append(messages, 'assistant', [
        {
          type: 'tool_call',
          id: callId,
          name,
          argsJson: str(item.arguments) ?? '',
          ...(namespace ? { namespace } : {}),
        },
      ]);
      return;
    }
    case 'custom_tool_call': {
      const callId = str(item.call_id);
      const name = str(item.name);
      if (!callId || !name) throw invalidRequest(`'${where}' needs call_id and name.`, where);
      const input = str(item.input) ?? '';
      const namespace = str(item.namespace);
      append(messages, 'assistant', [
        {
          type: 'tool_call',
          id: callId,
          name,
          argsJson: customArgsJson(input),
          custom: { input },
          ...(namespace ? { namespace } : {}),
        },
      ]);
      return;
    }
    case 'function_call_output':
    case 'custom_tool_call_output': {
      const callId = str(item.call_id);
      if (!callId) throw invalidRequest(`'${where}.call_id' is required.`, `${where}.call_id`);
      const result: IrToolResultPart = {
        type: 'tool_result',
        callId,
        content: outputContent(item.output, where),
        ...(type === 'custom_tool_call_output' ? { custom: true } : {}),
      };
      append(messages, 'tool', [result]);
      return;
    }
    case 'reasoning':
      append(messages, 'assistant', [decodeReasoningItem(item)]);
      return;
    case 'additional_tools':
      // Codex's Responses-Lite sends its tools as an input item; on other wires they are tools.
      tools.push(...decodeTools(item.tools, `${where}.tools`));
      return;
    default: {
      // item_reference, computer_call, web_search_call…: server state or hosted tools.
      const name = `input.${type ?? 'unknown'}`;
      if (!extras.some((extra) => extra.name === name)) extras.push({ name, value: true });
    }
  }
}

/** Consecutive assistant items (reasoning, message, calls) form one assistant turn; same for results. */
function append(messages: IrMessage[], role: IrMessage['role'], parts: IrPart[]): void {
  const last = messages[messages.length - 1];
  if (last && last.role === role) last.parts.push(...parts);
  else messages.push({ role, parts });
}

function decodeReasoningItem(item: JsonObject): IrReasoningPart {
  let text = '';
  for (const raw of arr(item.summary) ?? []) {
    const part = obj(raw);
    const piece = part && str(part.text);
    if (piece) text += text ? `\n\n${piece}` : piece;
  }
  const encrypted = str(item.encrypted_content);
  const carried = encrypted ? unwrapReasoning(encrypted) : null;
  if (carried) {
    return {
      type: 'reasoning',
      text: carried.text || text,
      provider: carried.provider,
      ...(carried.signature ? { signature: carried.signature } : {}),
      ...(carried.opaque ? { opaque: carried.opaque } : {}),
      ...(carried.redacted ? { redacted: true } : {}),
      ...(carried.id ? { id: carried.id } : {}),
    };
  }
  const id = str(item.id);
  return {
    type: 'reasoning',
    text,
    provider: 'openai',
    summary: true,
    ...(encrypted ? { opaque: encrypted } : {}),
    ...(id ? { id } : {}),
  };
}

function contentParts(content: unknown, where: string): IrContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const list = arr(content);
  if (!list) throw invalidRequest(`Invalid type for '${where}.content'.`, `${where}.content`);
  const out: IrContentPart[] = [];
  list.forEach((raw, j) => {
    const part = decodeInputPart(obj(raw), `${where}.content[${j}]`);
    if (part) out.push(part);
  });
  return out;
}

function decodeInputPart(part: JsonObject | undefined, where: string): IrContentPart | null {
  if (!part) throw invalidRequest(`Invalid type for '${where}'.`, where);
  switch (part.type) {
    case 'input_text':
    case 'output_text':
    case 'text':
      return { type: 'text', text: str(part.text) ?? '' };
    case 'refusal':
      return { type: 'text', text: str(part.refusal) ?? '', refusal: true };
    case 'input_image': {
      const url = str(part.image_url);
      const detail = str(part.detail);
      if (url) {
        const data = parseDataUrl(url);
        return {
          type: 'image',
          source: data
            ? { kind: 'base64', mediaType: data.mediaType, data: data.data }
            : { kind: 'url', url },
          ...(detail ? { detail } : {}),
        };
      }
      const fileId = str(part.file_id);
      if (fileId) return { type: 'file', fileId, mediaType: 'image/*' };
      throw invalidRequest(`'${where}' needs image_url or file_id.`, where);
    }
    case 'input_file': {
      const fileData = str(part.file_data);
      const parsed = fileData ? parseDataUrl(fileData) : null;
      const filename = str(part.filename);
      return {
        type: 'file',
        ...(parsed
          ? { mediaType: parsed.mediaType, data: parsed.data }
          : fileData
            ? { data: fileData, mediaType: 'application/pdf' }
            : {}),
        ...(str(part.file_id) ? { fileId: str(part.file_id) } : {}),
        ...(str(part.file_url) ? { url: str(part.file_url) } : {}),
        ...(filename ? { filename } : {}),
      };
    }
    default:
      throw invalidRequest(`Invalid content type ${JSON.stringify(part.type)} at '${where}'.`, where);
  }
}

function outputContent(output: unknown, where: string): IrToolResultPart['content'] {
  if (typeof output === 'string') return [{ type: 'text', text: output }];
  const list = arr(output);
  if (!list) return [];
  const out: IrToolResultPart['content'] = [];
  list.forEach((raw, j) => {
    const part = decodeInputPart(obj(raw), `${where}.output[${j}]`);
    if (part) out.push(part);
  });
  return out;
}

function decodeTools(raw: unknown, where: string, namespace?: string): IrTool[] {
  const out: IrTool[] = [];
  (arr(raw) ?? []).forEach((item, i) => {
    const tool = obj(item);
    if (!tool) throw invalidRequest(`Invalid type for '${where}[${i}]'.`, `${where}[${i}]`);
    const type = str(tool.type);
    const name = str(tool.name);
    const scope = namespace ? { namespace } : {};
    if (type === 'function' && name) {
      out.push({
        kind: 'function',
        name,
        description: str(tool.description),
        parameters: obj(tool.parameters),
        strict: bool(tool.strict),
        ...scope,
      });
    } else if (type === 'custom' && name) {
      out.push({
        kind: 'custom',
        name,
        description: str(tool.description),
        ...(tool.format !== undefined ? { format: tool.format } : {}),
        ...scope,
      });
    } else if (type === 'namespace' && name) {
      out.push(...decodeTools(tool.tools, `${where}[${i}].tools`, name));
    } else {
      out.push({ kind: 'hosted', wire: 'openai-responses', toolType: type ?? 'unknown', raw: tool });
    }
  });
  return out;
}

function decodeToolChoice(raw: unknown, extras: IrExtra[]): IrToolChoice | undefined {
  if (raw === 'auto' || raw === 'none' || raw === 'required') return { type: raw };
  const choice = obj(raw);
  if (!choice) return undefined;
  const name = str(choice.name);
  if ((choice.type === 'function' || choice.type === 'custom') && name) return { type: 'tool', name };
  extras.push({ name: 'tool_choice', value: choice });
  return undefined;
}
