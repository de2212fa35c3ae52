import { JsonObject } from '@switchyard/common';
import { IrOutputPart, IrResponse } from '../ir/ir-response';
import { COMPAT_PROFILES, CompatProfile } from '../openai-compatible/compat-profiles';
import { failedUpstream, malformedUpstream } from '../shared/errors';
import { mintId } from '../shared/ids';
import { arr, int, obj, parseJsonObject, str } from '../shared/read';
import { customArgsJson } from '../shared/tool-names';
import { decodeOpenAiErrorObject } from './errors';
import { fromOpenAiFinishReason, settleFinish } from './finish-reason';
import { normalizeOpenAiChatUsage } from './usage';

/**
 * Decodes a non-streaming Chat Completions response body. Throws UpstreamResponseError for a body
 * that is not a completion (HTML, truncated JSON, an error object with status 200).
 */
export function decodeOpenAiChatResponse(
  bodyText: string,
  profile: CompatProfile = COMPAT_PROFILES.openai,
): IrResponse {
  const root = parseJsonObject(bodyText);
  if (!root) throw malformedUpstream('upstream returned a body that is not a JSON object');
  return decodeOpenAiChatResponseObject(root, profile);
}

export function decodeOpenAiChatResponseObject(
  root: JsonObject,
  profile: CompatProfile = COMPAT_PROFILES.openai,
): IrResponse {
  if (root.error !== undefined && root.error !== null) {
    throw failedUpstream(
      decodeOpenAiErrorObject(root, 502) ?? { status: 502, type: 'server', message: 'upstream error' },
    );
  }
  const choice = obj(arr(root.choices)?.[0]);
  const message = choice && obj(choice.message);
  if (!choice || !message) throw malformedUpstream('upstream response has no choices[0].message');

  const content: IrOutputPart[] = [];
  for (const field of profile.reasoningFields) {
    const reasoning = str(message[field]);
    if (reasoning) {
      content.push({ type: 'reasoning', text: reasoning, provider: 'openai-compatible' });
      break;
    }
  }
  const text = str(message.content);
  if (text) content.push({ type: 'text', text });
  const refusal = str(message.refusal);
  if (refusal) content.push({ type: 'text', text: refusal, refusal: true });
  for (const raw of arr(message.tool_calls) ?? []) {
    const call = obj(raw);
    if (!call) continue;
    const id = str(call.id) || mintId('call_');
    if (call.type === 'custom') {
      const custom = obj(call.custom) ?? {};
      const input = str(custom.input) ?? '';
      content.push({
        type: 'tool_call',
        id,
        name: str(custom.name) ?? '',
        argsJson: customArgsJson(input),
        custom: { input },
      });
      continue;
    }
    const fn = obj(call.function) ?? {};
    const args = str(fn.arguments) ?? '';
    content.push({
      type: 'tool_call',
      id,
      name: str(fn.name) ?? '',
      argsJson: args.trim() === '' ? '{}' : args,
    });
  }

  const finish = fromOpenAiFinishReason(str(choice.finish_reason) ?? 'stop', profile);
  if (finish === 'retryable' && content.length === 0) {
    throw failedUpstream({
      status: 503,
      type: 'overloaded',
      message: `upstream stopped: ${str(choice.finish_reason) ?? ''}`,
    });
  }
  return {
    id: str(root.id) ?? mintId('chatcmpl-'),
    model: str(root.model) ?? '',
    ...(int(root.created) !== undefined ? { created: int(root.created) } : {}),
    content,
    stopReason: settleFinish(finish),
    usage: normalizeOpenAiChatUsage(root.usage, profile.usage),
  };
}
