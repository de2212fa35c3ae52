import {
  anthropicStreamError,
  decodeAnthropicError,
  decodeAnthropicErrorObject,
  encodeAnthropicError,
} from './anthropic-messages/errors';
import { decodeAnthropicRequest } from './anthropic-messages/request-decoder';
import { encodeAnthropicRequest } from './anthropic-messages/request-encoder';
import { decodeAnthropicResponse } from './anthropic-messages/response-decoder';
import { encodeAnthropicResponse } from './anthropic-messages/response-encoder';
import { AnthropicStreamDecoder } from './anthropic-messages/stream-decoder';
import { AnthropicStreamEncoder } from './anthropic-messages/stream-encoder';
import { decodeGeminiError, decodeGeminiErrorObject } from './gemini/errors';
import { encodeGeminiRequest } from './gemini/request-encoder';
import { decodeGeminiResponse } from './gemini/response-decoder';
import { GeminiStreamDecoder } from './gemini/stream-decoder';
import { ClientEncodeContext } from './ir/client-context';
import { HeaderLookup, IrError } from './ir/ir-error';
import { ClientProtocol, IrRequest, WireProtocol } from './ir/ir-request';
import { IrResponse } from './ir/ir-response';
import { StreamDecoder, StreamEncoder } from './ir/ir-stream';
import {
  decodeOpenAiError,
  decodeOpenAiErrorObject,
  EncodedError,
  encodeOpenAiError,
  openAiChatStreamError,
} from './openai-chat/errors';
import { decodeOpenAiChatRequest } from './openai-chat/request-decoder';
import { encodeOpenAiChatRequest } from './openai-chat/request-encoder';
import { decodeOpenAiChatResponse } from './openai-chat/response-decoder';
import { encodeOpenAiChatResponse } from './openai-chat/response-encoder';
import { OpenAiChatStreamDecoder } from './openai-chat/stream-decoder';
import { OpenAiChatStreamEncoder } from './openai-chat/stream-encoder';
import { COMPAT_PROFILES, CompatProfile } from './openai-compatible/compat-profiles';
import { decodeResponsesRequest } from './openai-responses/request-decoder';
import { encodeResponsesRequest } from './openai-responses/request-encoder';
import { decodeResponsesResponse } from './openai-responses/response-decoder';
import { encodeResponsesResponse } from './openai-responses/response-encoder';
import { ResponsesStreamDecoder } from './openai-responses/stream-decoder';
import { ResponsesStreamEncoder } from './openai-responses/stream-encoder';
import { arr, obj, parseJson } from './shared/read';
import { EncodedRequest, RequestEncodeOptions } from './shared/translation-log';
import { BodyErrorDecoder, UpstreamStreamReader } from './sse/upstream-stream-reader';

/**
 * The gateway-facing entry points: one switch per direction over the wire protocols, so the
 * gateway never imports a protocol module directly and there are no pairwise converters.
 */

/** Provider kinds as configured by the operator. */
export type UpstreamKind = 'openai' | 'openai_compatible' | 'anthropic' | 'gemini';

/**
 * Which wire to speak to an upstream for a client protocol. Same protocol → pass-through;
 * OpenAI accounts speak Chat to Chat clients, Responses to Responses clients and (by default)
 * Chat to Anthropic clients; compatible servers only speak Chat.
 */
export function upstreamWireFor(
  inbound: ClientProtocol,
  kind: UpstreamKind,
  options: { openAiPrefersResponses?: boolean } = {},
): WireProtocol {
  switch (kind) {
    case 'anthropic':
      return 'anthropic-messages';
    case 'gemini':
      return 'gemini';
    case 'openai_compatible':
      return 'openai-chat';
    case 'openai':
      if (inbound === 'anthropic-messages')
        return options.openAiPrefersResponses ? 'openai-responses' : 'openai-chat';
      return inbound;
  }
}

/** Pass-through: the body goes upstream untouched except `model`, the stream is only tapped. */
export function isPassThrough(inbound: ClientProtocol, wire: WireProtocol): boolean {
  return inbound === wire;
}

export interface DecodeRequestOptions {
  /** Anthropic `/v1/messages/count_tokens` (no `max_tokens`). */
  countTokens?: boolean;
}

/** Client body (already JSON-parsed) → IR. Throws ProtocolError('request.invalid') on bad input. */
export function decodeClientRequest(
  protocol: ClientProtocol,
  body: unknown,
  options: DecodeRequestOptions = {},
): IrRequest {
  switch (protocol) {
    case 'openai-chat':
      return decodeOpenAiChatRequest(body);
    case 'openai-responses':
      return decodeResponsesRequest(body);
    case 'anthropic-messages':
      return decodeAnthropicRequest(body, options);
  }
}

export interface UpstreamEncodeOptions extends RequestEncodeOptions {
  /** openai_compatible quirks (ignored by other wires). */
  profile?: CompatProfile;
}

/**
 * IR → upstream body. Throws ProtocolError('request.unsupported_parameter') for a parameter the
 * upstream cannot honour unless `droppable` lists it; `dropped` lists what was left out.
 */
export function encodeUpstreamRequest(
  wire: WireProtocol,
  request: IrRequest,
  options: UpstreamEncodeOptions,
): EncodedRequest {
  switch (wire) {
    case 'openai-chat':
      return encodeOpenAiChatRequest(request, options);
    case 'openai-responses':
      return encodeResponsesRequest(request, options);
    case 'anthropic-messages':
      return encodeAnthropicRequest(request, options);
    case 'gemini':
      return encodeGeminiRequest(request, options);
  }
}

/** Upstream non-stream body → IR. Throws UpstreamResponseError for garbage or an in-body failure. */
export function decodeUpstreamResponse(
  wire: WireProtocol,
  bodyText: string,
  profile?: CompatProfile,
): IrResponse {
  switch (wire) {
    case 'openai-chat':
      return decodeOpenAiChatResponse(bodyText, profile ?? COMPAT_PROFILES.openai);
    case 'openai-responses':
      return decodeResponsesResponse(bodyText);
    case 'anthropic-messages':
      return decodeAnthropicResponse(bodyText);
    case 'gemini':
      return decodeGeminiResponse(bodyText);
  }
}

/** IR → client non-stream body text. */
export function encodeClientResponse(
  protocol: ClientProtocol,
  response: IrResponse,
  context: ClientEncodeContext,
): string {
  switch (protocol) {
    case 'openai-chat':
      return encodeOpenAiChatResponse(response, context);
    case 'openai-responses':
      return encodeResponsesResponse(response, context);
    case 'anthropic-messages':
      return encodeAnthropicResponse(response, context);
  }
}

export function createStreamDecoder(wire: WireProtocol, profile?: CompatProfile): StreamDecoder {
  switch (wire) {
    case 'openai-chat':
      return new OpenAiChatStreamDecoder(profile ?? COMPAT_PROFILES.openai);
    case 'openai-responses':
      return new ResponsesStreamDecoder();
    case 'anthropic-messages':
      return new AnthropicStreamDecoder();
    case 'gemini':
      return new GeminiStreamDecoder();
  }
}

/** Upstream SSE bytes → IR events (splitting, parsing, and non-SSE bodies handled). */
export function createUpstreamStreamReader(
  wire: WireProtocol,
  profile?: CompatProfile,
): UpstreamStreamReader {
  return new UpstreamStreamReader(createStreamDecoder(wire, profile), bodyErrorDecoder(wire));
}

export function createClientStreamEncoder(
  protocol: ClientProtocol,
  context: ClientEncodeContext,
): StreamEncoder {
  switch (protocol) {
    case 'openai-chat':
      return new OpenAiChatStreamEncoder(context);
    case 'openai-responses':
      return new ResponsesStreamEncoder(context);
    case 'anthropic-messages':
      return new AnthropicStreamEncoder(context);
  }
}

/** An upstream error response (non-2xx status and its body) → IR error. */
export function decodeUpstreamError(
  wire: WireProtocol,
  status: number,
  bodyText: string,
  header?: HeaderLookup,
): IrError {
  switch (wire) {
    case 'openai-chat':
    case 'openai-responses':
      return decodeOpenAiError(status, bodyText, header);
    case 'anthropic-messages':
      return decodeAnthropicError(status, bodyText, header);
    case 'gemini':
      return decodeGeminiError(status, bodyText, header);
  }
}

/** IR error → the client protocol's error status, headers and body. */
export function encodeClientError(
  protocol: ClientProtocol,
  error: IrError,
  requestId?: string,
): EncodedError {
  return protocol === 'anthropic-messages'
    ? encodeAnthropicError(error, requestId)
    : encodeOpenAiError(error, requestId);
}

/** Where a pass-through Responses stream stood when it failed (ResponsesStreamTap knows). */
export interface ResponsesStreamPosition {
  nextSequence: number;
  responseId: string;
}

/**
 * The error to write into a *pass-through* client stream that fails after bytes went out (the
 * upstream connection dropped, a timeout). Translated streams use their encoder instead
 * (`encoder.push({type: 'error', error})`), which knows its own state.
 */
export function encodeClientStreamError(
  protocol: ClientProtocol,
  error: IrError,
  model: string,
  position?: ResponsesStreamPosition,
): string {
  switch (protocol) {
    case 'openai-chat':
      return openAiChatStreamError(error);
    case 'anthropic-messages':
      return anthropicStreamError(error);
    case 'openai-responses':
      return new ResponsesStreamEncoder({ model }, position ?? { nextSequence: 0, responseId: '' }).push({
        type: 'error',
        error,
      });
  }
}

/** How each wire reads an error from a 200 body that is not SSE (Gemini's JSON, an HTML page). */
function bodyErrorDecoder(wire: WireProtocol): BodyErrorDecoder {
  return (text) => {
    const parsed = parseJson(text);
    const root = obj(parsed) ?? obj(arr(parsed)?.[0]);
    if (!root) return null;
    switch (wire) {
      case 'gemini':
        return decodeGeminiErrorObject(root, 0);
      case 'anthropic-messages':
        return decodeAnthropicErrorObject(root, 0);
      default:
        return decodeOpenAiErrorObject(root, 0);
    }
  };
}
