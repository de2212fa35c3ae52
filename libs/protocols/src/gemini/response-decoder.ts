import { JsonObject } from '@switchyard/common';
import { IrOutputPart, IrResponse } from '../ir/ir-response';
import { failedUpstream, malformedUpstream } from '../shared/errors';
import { mintId } from '../shared/ids';
import { arr, obj, parseJson, str } from '../shared/read';
import { decodeGeminiErrorObject } from './errors';
import { fromGeminiFinishReason } from './finish-reason';
import { geminiCallId } from './parts';
import { normalizeGeminiUsage } from './usage';

/** Decodes a non-streaming `generateContent` body; throws UpstreamResponseError otherwise. */
export function decodeGeminiResponse(bodyText: string): IrResponse {
  const root = obj(parseJson(bodyText));
  if (!root) throw malformedUpstream('upstream returned a body that is not a JSON object');
  return decodeGeminiResponseObject(root);
}

export function decodeGeminiResponseObject(root: JsonObject): IrResponse {
  if (obj(root.error))
    throw failedUpstream(
      decodeGeminiErrorObject(root, 0) ?? { status: 502, type: 'server', message: 'upstream error' },
    );
  const candidates = arr(root.candidates);
  const candidate = obj(candidates?.[0]);
  const feedback = obj(root.promptFeedback);
  if (!candidate) {
    // A blocked prompt comes back with no candidates at all.
    if (feedback && str(feedback.blockReason)) {
      return {
        id: str(root.responseId) ?? mintId('gen_'),
        model: str(root.modelVersion) ?? '',
        content: [],
        stopReason: 'content_filter',
        usage: normalizeGeminiUsage(root.usageMetadata),
      };
    }
    if (!candidates) throw malformedUpstream('upstream response has no candidates');
  }
  const content: IrOutputPart[] = [];
  const parts = arr(obj(candidate?.content)?.parts) ?? [];
  for (const raw of parts) {
    const part = obj(raw);
    if (!part) continue;
    const call = obj(part.functionCall);
    if (call) {
      content.push({
        type: 'tool_call',
        id: geminiCallId(call, part),
        name: str(call.name) ?? '',
        argsJson: JSON.stringify(call.args ?? {}),
      });
      continue;
    }
    const text = str(part.text);
    if (text === undefined) continue;
    if (part.thought === true) content.push({ type: 'reasoning', text, provider: 'gemini' });
    else if (text) content.push({ type: 'text', text });
  }
  const sawToolCall = content.some((part) => part.type === 'tool_call');
  return {
    id: str(root.responseId) ?? mintId('gen_'),
    model: str(root.modelVersion) ?? '',
    content,
    stopReason: fromGeminiFinishReason(candidate ? str(candidate.finishReason) : undefined, sawToolCall),
    usage: normalizeGeminiUsage(root.usageMetadata),
  };
}
