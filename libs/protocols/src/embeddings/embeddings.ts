import { isJsonObject, JsonObject } from '@switchyard/common';
import { invalidRequest, malformedUpstream, unsupportedParameter } from '../shared/errors';
import { arr, int, obj, parseJson, str } from '../shared/read';

/**
 * OpenAI `/v1/embeddings` (the inbound shape) and its Gemini translation (`:embedContent` /
 * `:batchEmbedContents`). Embeddings have no IR of their own: one request shape in, two wires out.
 */

export type EmbeddingFormat = 'float' | 'base64';

export interface EmbeddingsRequest {
  model: string;
  /** Text inputs; empty when the client sent token ids (`tokenInput`). */
  texts: string[];
  /** The client sent one string (Gemini: `:embedContent`), not a list. */
  single: boolean;
  /** The client sent token ids: only OpenAI-compatible upstreams understand them. */
  tokenInput: boolean;
  format: EmbeddingFormat;
  dimensions?: number;
}

/** Reads an OpenAI embeddings request body (already JSON-parsed). */
export function decodeEmbeddingsRequest(body: unknown): EmbeddingsRequest {
  const root = obj(body);
  if (!root) throw invalidRequest('request body must be a JSON object');
  const model = str(root.model);
  if (!model) throw invalidRequest("Missing required parameter: 'model'.", 'model');
  const format = root.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    throw invalidRequest(
      "Invalid value for 'encoding_format': expected 'float' or 'base64'.",
      'encoding_format',
    );
  }
  const dimensions = int(root.dimensions);
  if (root.dimensions !== undefined && (dimensions === undefined || dimensions < 1)) {
    throw invalidRequest("Invalid value for 'dimensions': expected a positive integer.", 'dimensions');
  }
  const base = { model, format, ...(dimensions !== undefined ? { dimensions } : {}) } as const;
  if (typeof root.input === 'string')
    return { ...base, texts: [root.input], single: true, tokenInput: false };
  const list = arr(root.input);
  if (!list || list.length === 0) {
    throw invalidRequest(
      "'input' must be a non-empty string, array of strings, or array of token ids.",
      'input',
    );
  }
  if (list.every((item): item is string => typeof item === 'string'))
    return { ...base, texts: [...list], single: false, tokenInput: false };
  const tokens = (item: unknown): boolean =>
    typeof item === 'number' || (Array.isArray(item) && item.every((t) => typeof t === 'number'));
  if (list.every(tokens)) return { ...base, texts: [], single: false, tokenInput: true };
  throw invalidRequest("'input' must be a string, an array of strings, or token ids.", 'input');
}

/** The Gemini body for `request`, and whether it goes to `:batchEmbedContents`. */
export function encodeGeminiEmbeddingsRequest(
  request: EmbeddingsRequest,
  model: string,
): { body: string; batch: boolean } {
  if (request.tokenInput) throw unsupportedParameter('input', 'gemini', 'Gemini embeds text, not token ids');
  const one = (text: string): JsonObject => ({
    model: `models/${model}`,
    content: { parts: [{ text }] },
    ...(request.dimensions !== undefined ? { outputDimensionality: request.dimensions } : {}),
  });
  if (request.single) return { body: JSON.stringify(one(request.texts[0])), batch: false };
  return { body: JSON.stringify({ requests: request.texts.map(one) }), batch: true };
}

/** Vectors from a Gemini `:embedContent` (`embedding`) or `:batchEmbedContents` (`embeddings`) answer. */
export function decodeGeminiEmbeddingsResponse(bodyText: string): number[][] {
  const root = obj(parseJson(bodyText));
  if (!root) throw malformedUpstream('Gemini embeddings answer is not a JSON object');
  const items = root.embedding !== undefined ? [root.embedding] : arr(root.embeddings);
  if (!items) throw malformedUpstream('Gemini embeddings answer has no embedding');
  return items.map((item) => {
    const values = arr(obj(item)?.values);
    if (!values || !values.every((value): value is number => typeof value === 'number')) {
      throw malformedUpstream('Gemini embedding without numeric values');
    }
    return [...values];
  });
}

/** An OpenAI embeddings answer for the client, with base64 produced here when it asked for it. */
export function encodeOpenAiEmbeddingsResponse(
  vectors: number[][],
  model: string,
  format: EmbeddingFormat,
  promptTokens: number,
): string {
  return JSON.stringify({
    object: 'list',
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: format === 'base64' ? floatsToBase64(vector) : vector,
    })),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}

const FLOAT_EMBEDDING = /"embedding"\s*:\s*\[/;

/** base64 of the values as little-endian float32, what OpenAI returns for `encoding_format: base64`. */
export function floatsToBase64(values: readonly number[]): string {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString('base64');
}

/**
 * An OpenAI-compatible server that ignored `encoding_format: base64` answered with float arrays:
 * re-encodes them so the client (openai-node asks for base64 by default) can decode them.
 * Returns null when there is nothing to change.
 */
export function embeddingsAsBase64(bodyText: string): string | null {
  // OpenAI itself honours base64: its answers are relayed without a parse.
  if (!FLOAT_EMBEDDING.test(bodyText)) return null;
  const root = obj(parseJson(bodyText));
  const data = root && arr(root.data);
  if (!root || !data) return null;
  let changed = false;
  const converted = data.map((item) => {
    if (!isJsonObject(item) || !Array.isArray(item.embedding)) return item;
    const values = item.embedding.filter((value): value is number => typeof value === 'number');
    changed = true;
    return { ...item, embedding: floatsToBase64(values) };
  });
  return changed ? JSON.stringify({ ...root, data: converted }) : null;
}

/** `usage.prompt_tokens` of an OpenAI embeddings answer, or null when it reports none. */
export function embeddingsPromptTokens(bodyText: string): number | null {
  const usage = obj(obj(parseJson(bodyText))?.usage);
  const tokens = usage ? int(usage.prompt_tokens) : undefined;
  return tokens === undefined ? null : tokens;
}
