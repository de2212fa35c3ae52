import { JsonObject } from '@switchyard/common';
import {
  IrExtra,
  IrMessage,
  IrPart,
  IrReasoningConfig,
  IrRequest,
  IrResponseFormat,
  IrTextPart,
  IrTool,
  IrToolChoice,
} from '../ir/ir-request';
import { invalidRequest } from '../shared/errors';
import { arr, int, num, obj, str } from '../shared/read';

const GEMINI_EXTRAS = ['safetySettings', 'cachedContent', 'labels', 'serviceTier'] as const;

export interface GeminiDecodeOptions {
  /** Gemini puts the model in the URL (`models/{model}:generateContent`), not the body. */
  model: string;
  /** `:streamGenerateContent` was called. */
  stream: boolean;
}

/**
 * Decodes a Gemini `generateContent` body into the IR (for a Gemini-protocol inbound route, and to
 * round-trip the encoder in tests). Gemini has no call ids: results are matched to calls by name,
 * in order, and ids are derived from the position so the same history always decodes the same.
 */
export function decodeGeminiRequest(body: unknown, options: GeminiDecodeOptions): IrRequest {
  const root = obj(body);
  if (!root) throw invalidRequest('request body must be a JSON object');
  const contents = arr(root.contents);
  if (!contents) throw invalidRequest('contents is required', 'contents');
  const system: IrTextPart[] = [];
  for (const raw of arr(obj(root.systemInstruction)?.parts) ?? []) {
    const text = str(obj(raw)?.text);
    if (text !== undefined) system.push({ type: 'text', text });
  }

  const messages: IrMessage[] = [];
  const pending = new Map<string, string[]>(); // function name -> ids of calls awaiting a response
  contents.forEach((raw, i) => {
    const content = obj(raw);
    if (!content) throw invalidRequest(`contents[${i}] must be an object`, `contents[${i}]`);
    const role = content.role === 'model' ? 'assistant' : 'user';
    const parts: IrPart[] = [];
    const results: IrPart[] = [];
    (arr(content.parts) ?? []).forEach((item, j) => {
      const part = obj(item);
      if (!part) return;
      const call = obj(part.functionCall);
      const response = obj(part.functionResponse);
      if (call) {
        const name = str(call.name) ?? '';
        const id = str(call.id) ?? `call_${i}_${j}`;
        pending.set(name, [...(pending.get(name) ?? []), id]);
        const signature = str(part.thoughtSignature);
        parts.push({
          type: 'tool_call',
          id,
          name,
          argsJson: JSON.stringify(call.args ?? {}),
          ...(signature ? { signature } : {}),
        });
      } else if (response) {
        const name = str(response.name) ?? '';
        const queue = pending.get(name) ?? [];
        const callId = str(response.id) ?? queue.shift() ?? `call_${name}`;
        results.push({
          type: 'tool_result',
          callId,
          name,
          content: [{ type: 'text', text: JSON.stringify(response.response ?? {}) }],
        });
      } else {
        const decoded = decodePart(part);
        if (decoded) parts.push(decoded);
      }
    });
    if (results.length > 0) messages.push({ role: 'tool', parts: results });
    if (parts.length > 0) messages.push({ role, parts });
  });

  const generation = obj(root.generationConfig) ?? {};
  const extras: IrExtra[] = [];
  for (const name of GEMINI_EXTRAS) {
    const value = root[name];
    if (value !== undefined && value !== null) extras.push({ name, value });
  }
  const candidates = int(generation.candidateCount);
  if (candidates !== undefined && candidates > 1) extras.push({ name: 'n', value: candidates });

  return {
    model: options.model,
    system,
    messages,
    tools: decodeTools(root.tools),
    toolChoice: decodeToolChoice(obj(obj(root.toolConfig)?.functionCallingConfig)),
    maxOutputTokens: int(generation.maxOutputTokens),
    temperature: num(generation.temperature),
    topP: num(generation.topP),
    topK: int(generation.topK),
    stop: (arr(generation.stopSequences) ?? []).filter((item): item is string => typeof item === 'string'),
    seed: int(generation.seed),
    presencePenalty: num(generation.presencePenalty),
    frequencyPenalty: num(generation.frequencyPenalty),
    reasoning: decodeThinking(obj(generation.thinkingConfig)),
    responseFormat: decodeFormat(generation),
    stream: options.stream,
    wantUsage: options.stream,
    extras,
    source: 'gemini',
  };
}

function decodePart(part: JsonObject): IrPart | null {
  const text = str(part.text);
  if (text !== undefined) {
    if (part.thought === true) return { type: 'reasoning', text, provider: 'gemini' };
    return { type: 'text', text };
  }
  const inline = obj(part.inlineData);
  if (inline) {
    const mediaType = str(inline.mimeType) ?? 'application/octet-stream';
    const data = str(inline.data) ?? '';
    return mediaType.startsWith('image/')
      ? { type: 'image', source: { kind: 'base64', mediaType, data } }
      : { type: 'file', mediaType, data };
  }
  const file = obj(part.fileData);
  if (file) {
    const mediaType = str(file.mimeType) ?? 'application/octet-stream';
    const url = str(file.fileUri) ?? '';
    return mediaType.startsWith('image/')
      ? { type: 'image', source: { kind: 'url', url } }
      : { type: 'file', mediaType, url };
  }
  return null;
}

function decodeTools(raw: unknown): IrTool[] {
  const out: IrTool[] = [];
  for (const item of arr(raw) ?? []) {
    const group = obj(item);
    if (!group) continue;
    const declarations = arr(group.functionDeclarations);
    if (!declarations) {
      const type = Object.keys(group)[0] ?? 'unknown';
      out.push({ kind: 'hosted', wire: 'gemini', toolType: type, raw: group });
      continue;
    }
    for (const raw of declarations) {
      const declaration = obj(raw);
      const name = declaration && str(declaration.name);
      if (!declaration || !name) continue;
      out.push({
        kind: 'function',
        name,
        description: str(declaration.description),
        parameters: obj(declaration.parametersJsonSchema) ?? obj(declaration.parameters),
      });
    }
  }
  return out;
}

function decodeToolChoice(config: JsonObject | undefined): IrToolChoice | undefined {
  if (!config) return undefined;
  const allowed = arr(config.allowedFunctionNames) ?? [];
  switch (config.mode) {
    case 'AUTO':
      return { type: 'auto' };
    case 'NONE':
      return { type: 'none' };
    case 'ANY':
    case 'VALIDATED': {
      const only = allowed.length === 1 ? str(allowed[0]) : undefined;
      return only ? { type: 'tool', name: only } : { type: 'required' };
    }
    default:
      return undefined;
  }
}

function decodeThinking(config: JsonObject | undefined): IrReasoningConfig | undefined {
  if (!config) return undefined;
  const budget = int(config.thinkingBudget);
  const include = config.includeThoughts === true ? { includeThoughts: true } : {};
  if (budget === 0) return { mode: 'disabled', ...include };
  if (budget === -1) return { mode: 'adaptive', ...include };
  return { mode: 'enabled', ...(budget !== undefined ? { budgetTokens: budget } : {}), ...include };
}

function decodeFormat(generation: JsonObject): IrResponseFormat | undefined {
  if (generation.responseMimeType !== 'application/json') return undefined;
  const schema = obj(generation.responseJsonSchema) ?? obj(generation.responseSchema);
  return schema ? { type: 'json_schema', schema } : { type: 'json_object' };
}
