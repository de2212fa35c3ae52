import { JsonObject } from '@switchyard/common';
import { ClientEncodeContext } from '../ir/client-context';
import { IrError, IrErrorType } from '../ir/ir-error';
import { IrResponse, IrStopReason } from '../ir/ir-response';
import { IrStreamEvent, StreamEncoder } from '../ir/ir-stream';
import { EncodedError } from '../openai-chat/errors';
import { mintId } from '../shared/ids';
import { signatureFromId } from '../shared/opaque';
import { obj, parseJson } from '../shared/read';
import { NormalizedUsage } from '../shared/usage';
import { ToolNames } from '../shared/tool-names';

/** IR stop reason as a Gemini `finishReason`. */
export function toGeminiFinishReason(reason: IrStopReason): string {
  if (reason === 'length' || reason === 'context_window') return 'MAX_TOKENS';
  if (reason === 'content_filter') return 'SAFETY';
  return 'STOP';
}

/** IR usage as Gemini `usageMetadata` (prompt includes cached content; candidates exclude thoughts). */
export function encodeGeminiUsage(usage: NormalizedUsage): JsonObject {
  const prompt = usage.input + usage.cachedInput + usage.cacheWrite;
  const metadata: JsonObject = {
    promptTokenCount: prompt,
    candidatesTokenCount: usage.output - usage.reasoning,
    totalTokenCount: prompt + usage.output,
  };
  if (usage.cachedInput > 0) metadata.cachedContentTokenCount = usage.cachedInput;
  if (usage.reasoning > 0) metadata.thoughtsTokenCount = usage.reasoning;
  return metadata;
}

function callPart(id: string, name: string, argsJson: string, signature: string | undefined): JsonObject {
  const part: JsonObject = { functionCall: { name, args: obj(parseJson(argsJson || '{}')) ?? {} } };
  const carried = signature ?? signatureFromId(id);
  if (carried) part.thoughtSignature = carried;
  return part;
}

/** Encodes an IR response as a Gemini `GenerateContentResponse` (for a Gemini-protocol client). */
export function encodeGeminiResponse(response: IrResponse, context: ClientEncodeContext): string {
  const names = new ToolNames(context.request?.tools ?? []);
  const parts: JsonObject[] = [];
  for (const part of response.content) {
    if (part.type === 'text') parts.push({ text: part.text });
    else if (part.type === 'reasoning') parts.push({ text: part.text, thought: true });
    else parts.push(callPart(part.id, names.resolve(part.name).name, part.argsJson, part.signature));
  }
  const body: JsonObject = {
    candidates: [
      {
        content: { role: 'model', parts },
        finishReason: toGeminiFinishReason(response.stopReason),
        index: 0,
      },
    ],
    modelVersion: context.model,
    responseId: context.id ?? response.id,
  };
  if (response.usage) body.usageMetadata = encodeGeminiUsage(response.usage);
  return JSON.stringify(body);
}

const RPC_STATUS: Readonly<Record<IrErrorType, [number, string]>> = {
  invalid_request: [400, 'INVALID_ARGUMENT'],
  authentication: [401, 'UNAUTHENTICATED'],
  permission: [403, 'PERMISSION_DENIED'],
  not_found: [404, 'NOT_FOUND'],
  request_too_large: [413, 'INVALID_ARGUMENT'],
  rate_limit: [429, 'RESOURCE_EXHAUSTED'],
  billing: [429, 'RESOURCE_EXHAUSTED'],
  overloaded: [503, 'UNAVAILABLE'],
  server: [500, 'INTERNAL'],
  timeout: [504, 'DEADLINE_EXCEEDED'],
};

/** Encodes an error in Gemini's shape, with the retry delay as RetryInfo (where Gemini SDKs look). */
export function encodeGeminiError(error: IrError): EncodedError {
  const [status, rpc] = RPC_STATUS[error.type];
  const details =
    error.retryAfterSeconds !== undefined
      ? `,"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"${error.retryAfterSeconds}s"}]`
      : '';
  const headers: Record<string, string> =
    error.retryAfterSeconds !== undefined ? { 'retry-after': String(error.retryAfterSeconds) } : {};
  return {
    status,
    headers,
    body: `{"error":{"code":${status},"message":${JSON.stringify(error.message)},"status":"${rpc}"${details}}}`,
  };
}

/**
 * Encodes IR events as a Gemini `alt=sse` stream: one `data:` chunk per text delta (new parts
 * only), each tool call whole once its arguments are complete, the finish reason and usage on the
 * last chunk, CRLF framing, no terminator.
 */
export class GeminiStreamEncoder implements StreamEncoder {
  private readonly names: ToolNames;
  private readonly calls = new Map<number, { id: string; name: string; args: string; signature?: string }>();
  private usage: NormalizedUsage | null = null;
  private responseId: string;
  private closed = false;

  constructor(private readonly context: ClientEncodeContext) {
    this.names = new ToolNames(context.request?.tools ?? []);
    this.responseId = context.id ?? mintId('gen_');
  }

  push(event: IrStreamEvent): string {
    if (this.closed) return '';
    switch (event.type) {
      case 'start':
        if (!this.context.id && event.id) this.responseId = event.id;
        return '';
      case 'text_delta':
        return this.chunk([{ text: event.text }]);
      case 'reasoning_delta':
        return this.chunk([{ text: event.text, thought: true }]);
      case 'tool_start':
        this.calls.set(event.index, {
          id: event.id,
          name: this.names.resolve(event.name).name,
          args: '',
          ...(event.signature ? { signature: event.signature } : {}),
        });
        return '';
      case 'tool_args_delta': {
        const call = this.calls.get(event.index);
        if (call) call.args += event.json;
        return '';
      }
      case 'block_end': {
        const call = this.calls.get(event.index);
        if (!call) return '';
        this.calls.delete(event.index);
        return this.chunk([callPart(call.id, call.name, call.args, call.signature)]);
      }
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'finish': {
        this.closed = true;
        return this.chunk([{ text: '' }], toGeminiFinishReason(event.reason));
      }
      case 'error':
        this.closed = true;
        return `data: ${encodeGeminiError(event.error).body}\r\n\r\n`;
      case 'text_start':
      case 'reasoning_start':
      case 'reasoning_signature':
        return '';
    }
  }

  end(): string {
    if (this.closed) return '';
    this.closed = true;
    return `data: ${encodeGeminiError({ status: 502, type: 'server', message: 'upstream stream ended before it finished' }).body}\r\n\r\n`;
  }

  keepAlive(): string {
    return ': keep-alive\r\n\r\n';
  }

  private chunk(parts: JsonObject[], finishReason?: string): string {
    const candidate: JsonObject = { content: { role: 'model', parts }, index: 0 };
    if (finishReason) candidate.finishReason = finishReason;
    const body: JsonObject = {
      candidates: [candidate],
      modelVersion: this.context.model,
      responseId: this.responseId,
    };
    if (this.usage) body.usageMetadata = encodeGeminiUsage(this.usage);
    return `data: ${JSON.stringify(body)}\r\n\r\n`;
  }
}
