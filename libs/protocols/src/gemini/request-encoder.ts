import { JsonObject, JsonValue } from '@switchyard/common';
import { IrContentPart, IrPart, IrRequest, IrTool, IrToolResultPart } from '../ir/ir-request';
import { budgetForEffort } from '../shared/effort';
import { invalidRequest } from '../shared/errors';
import { signatureFromId } from '../shared/opaque';
import { obj, parseJson } from '../shared/read';
import { customToolSchema, ToolNames } from '../shared/tool-names';
import { EncodedRequest, RequestEncodeOptions, TranslationLog } from '../shared/translation-log';

/**
 * Encodes the IR as a Gemini `generateContent` / `streamGenerateContent` body. Roles become
 * user/model, tool results become `functionResponse` parts (named by looking the call up in the
 * history, the response always an object), and each call's `thoughtSignature` is restored from
 * the part or from the tool-call id it rode in (see opaque.ts). Image URLs are sent as `fileData`:
 * Gemini only reliably reads its own file URIs, so the gateway should inline web URLs first
 * (collectImageUrls / inlineImages).
 */
export function encodeGeminiRequest(ir: IrRequest, options: RequestEncodeOptions): EncodedRequest {
  const log = new TranslationLog('gemini', options.upstreamKind ?? 'gemini', options.droppable);
  const names = new ToolNames(ir.tools);
  const body: JsonObject = {};
  if (ir.system.length > 0) {
    if (ir.system.some((part) => part.cache)) log.drop('cache_control');
    body.systemInstruction = { parts: ir.system.map((part) => ({ text: part.text })) };
  }
  body.contents = encodeContents(ir, names, log);

  const declarations = encodeTools(ir.tools, names, log);
  if (declarations.length > 0) {
    body.tools = [{ functionDeclarations: declarations }];
    const choice = ir.toolChoice;
    if (choice) {
      const config: JsonObject =
        choice.type === 'tool'
          ? {
              mode: 'ANY',
              allowedFunctionNames: [names.wireName(choice.name, namespaceOf(ir.tools, choice.name))],
            }
          : { mode: choice.type === 'required' ? 'ANY' : choice.type === 'none' ? 'NONE' : 'AUTO' };
      body.toolConfig = { functionCallingConfig: config };
    }
  }
  if (ir.parallelToolCalls !== undefined) log.drop('parallel_tool_calls');

  const generation: JsonObject = {};
  if (ir.temperature !== undefined) generation.temperature = ir.temperature;
  if (ir.topP !== undefined) generation.topP = ir.topP;
  if (ir.topK !== undefined) generation.topK = ir.topK;
  if (ir.maxOutputTokens !== undefined) generation.maxOutputTokens = ir.maxOutputTokens;
  if (ir.stop.length > 0) generation.stopSequences = ir.stop;
  if (ir.seed !== undefined) generation.seed = ir.seed;
  if (ir.presencePenalty) generation.presencePenalty = ir.presencePenalty;
  if (ir.frequencyPenalty) generation.frequencyPenalty = ir.frequencyPenalty;
  const format = ir.responseFormat;
  if (format?.type === 'json_object') generation.responseMimeType = 'application/json';
  else if (format?.type === 'json_schema') {
    generation.responseMimeType = 'application/json';
    generation.responseJsonSchema = withoutSchemaKeyword(format.schema);
  }
  const thinking = encodeThinking(ir);
  if (thinking) generation.thinkingConfig = thinking;
  if (Object.keys(generation).length > 0) body.generationConfig = generation;
  if (ir.user !== undefined) log.drop('user');
  for (const extra of log.carriedExtras(ir)) body[extra.name] = extra.value;
  return { body: JSON.stringify(body), dropped: log.dropped };
}

function namespaceOf(tools: readonly IrTool[], name: string): string | undefined {
  const tool = tools.find((candidate) => candidate.kind !== 'hosted' && candidate.name === name);
  return tool && tool.kind !== 'hosted' ? tool.namespace : undefined;
}

function encodeThinking(ir: IrRequest): JsonObject | null {
  const reasoning = ir.reasoning;
  if (!reasoning) return null;
  const config: JsonObject = {};
  if (reasoning.mode === 'disabled' || reasoning.effort === 'none') config.thinkingBudget = 0;
  else if (reasoning.budgetTokens !== undefined) config.thinkingBudget = reasoning.budgetTokens;
  else if (reasoning.effort) config.thinkingBudget = budgetForEffort(reasoning.effort);
  else if (reasoning.mode === 'adaptive') config.thinkingBudget = -1; // Gemini's "dynamic"
  const wantsThoughts =
    reasoning.includeThoughts ?? (reasoning.mode === 'enabled' && reasoning.display !== 'omitted');
  if (wantsThoughts && config.thinkingBudget !== 0) config.includeThoughts = true;
  return Object.keys(config).length > 0 ? config : null;
}

function encodeContents(ir: IrRequest, names: ToolNames, log: TranslationLog): JsonObject[] {
  // Gemini matches results to calls by name: remember each call's name by id.
  const callNames = new Map<string, string>();
  const contents: Array<{ role: 'user' | 'model'; parts: JsonObject[] }> = [];
  const push = (role: 'user' | 'model', parts: JsonObject[]): void => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  for (const message of ir.messages) {
    if (message.role === 'assistant') {
      const parts: JsonObject[] = [];
      for (const part of message.parts) {
        if (part.type === 'text') {
          if (part.text) parts.push({ text: part.text });
        } else if (part.type === 'tool_call') {
          const name = names.wireName(part.name, part.namespace);
          callNames.set(part.id, name);
          const encoded: JsonObject = { functionCall: { name, args: parseArgs(part.argsJson) } };
          const signature = part.signature ?? signatureFromId(part.id);
          if (signature) encoded.thoughtSignature = signature;
          parts.push(encoded);
        }
        // Reasoning text never goes back to Gemini: only the signatures on calls matter to it.
      }
      push('model', parts);
      continue;
    }
    const parts: JsonObject[] = [];
    const media: JsonObject[] = [];
    for (const part of message.parts) {
      if (part.type === 'tool_result') {
        parts.push(functionResponse(part, callNames));
        for (const item of part.content) if (item.type !== 'text') media.push(...mediaPart(item, log));
      } else if (part.type === 'text') parts.push({ text: part.text });
      else parts.push(...mediaPart(part, log));
    }
    push('user', [...parts, ...media]);
  }
  return contents.map((content) => ({ role: content.role, parts: content.parts }));
}

function functionResponse(part: IrToolResultPart, callNames: ReadonlyMap<string, string>): JsonObject {
  const name = part.name ?? callNames.get(part.callId);
  if (!name)
    throw invalidRequest(
      `tool result ${part.callId} answers no tool call in the conversation`,
      'tool_call_id',
    );
  let text = '';
  for (const item of part.content) if (item.type === 'text') text += item.text;
  // Gemini needs an object: a JSON object result is used as is, anything else is wrapped.
  const parsed = part.isError ? undefined : obj(parseJson(text));
  const response: JsonObject = parsed ?? (part.isError ? { error: text } : { output: text });
  return { functionResponse: { name, response } };
}

function mediaPart(part: IrContentPart | IrPart, log: TranslationLog): JsonObject[] {
  if (part.type === 'image') {
    if (part.detail) log.drop('detail');
    if (part.source.kind === 'base64')
      return [{ inlineData: { mimeType: part.source.mediaType, data: part.source.data } }];
    return [{ fileData: { mimeType: guessImageType(part.source.url), fileUri: part.source.url } }];
  }
  if (part.type === 'file') {
    if (part.data !== undefined)
      return [{ inlineData: { mimeType: part.mediaType ?? 'application/pdf', data: part.data } }];
    if (part.url) return [{ fileData: { mimeType: part.mediaType ?? 'application/pdf', fileUri: part.url } }];
    log.refuse('file_id', 'file ids belong to the provider that issued them');
  }
  return [];
}

function guessImageType(url: string): string {
  const lower = url.toLowerCase().split('?')[0];
  if (lower.endsWith('.png')) return 'image/png';
  if (lower.endsWith('.gif')) return 'image/gif';
  if (lower.endsWith('.webp')) return 'image/webp';
  return 'image/jpeg';
}

function encodeTools(tools: readonly IrTool[], names: ToolNames, log: TranslationLog): JsonObject[] {
  const out: JsonObject[] = [];
  for (const tool of tools) {
    if (tool.kind === 'hosted') {
      log.refuse(`tools.${tool.toolType}`, 'hosted tools only run on their own vendor');
      continue;
    }
    if (tool.kind === 'function' && tool.cache) log.drop('cache_control');
    const declaration: JsonObject = { name: names.wireName(tool.name, tool.namespace) };
    if (tool.description !== undefined) declaration.description = tool.description;
    const schema = tool.kind === 'custom' ? customToolSchema() : tool.parameters;
    // parametersJsonSchema takes plain JSON Schema (parameters wants Google's OpenAPI subset).
    if (schema && Object.keys(schema).length > 0)
      declaration.parametersJsonSchema = withoutSchemaKeyword(schema);
    out.push(declaration);
  }
  return out;
}

/** Drops the top-level `$schema` dialect marker (AI-SDK tools carry one; Gemini has no use for it). */
function withoutSchemaKeyword(schema: JsonObject): JsonObject {
  if (!('$schema' in schema)) return schema;
  const copy: JsonObject = {};
  for (const key of Object.keys(schema)) if (key !== '$schema') copy[key] = schema[key];
  return copy;
}

function parseArgs(argsJson: string): JsonValue {
  if (argsJson.trim() === '') return {};
  const value = obj(parseJson(argsJson));
  if (!value)
    throw invalidRequest('tool call arguments must be a JSON object', 'tool_calls.function.arguments');
  return value;
}
