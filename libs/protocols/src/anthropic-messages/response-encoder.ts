import { JsonObject } from '@switchyard/common';
import { ClientEncodeContext } from '../ir/client-context';
import { IrResponse } from '../ir/ir-response';
import { toAnthropicStopReason } from '../ir/stop-reasons';
import { mintId, sanitizeToolId } from '../shared/ids';
import { obj, parseJson } from '../shared/read';
import { ToolNames } from '../shared/tool-names';
import { clientWantsThinking, signatureFor, thinkingOmitted } from './thinking';
import { encodeAnthropicUsage } from './usage';

/** Encodes an IR response as an Anthropic Messages `message` body for the client. */
export function encodeAnthropicResponse(response: IrResponse, context: ClientEncodeContext): string {
  const names = new ToolNames(context.request?.tools ?? []);
  const thinking = clientWantsThinking(context.request);
  const omitted = thinkingOmitted(context.request);
  const content: JsonObject[] = [];
  for (const part of response.content) {
    switch (part.type) {
      case 'reasoning':
        if (!thinking) break;
        if (part.provider === 'anthropic' && part.redacted)
          content.push({ type: 'redacted_thinking', data: part.opaque ?? '' });
        else
          content.push({
            type: 'thinking',
            thinking: omitted ? '' : part.text,
            signature: signatureFor(part),
          });
        break;
      case 'text':
        if (part.text.length > 0) content.push({ type: 'text', text: part.text });
        break;
      case 'tool_call':
        content.push({
          type: 'tool_use',
          id: sanitizeToolId(part.id),
          name: names.resolve(part.name).name,
          input: obj(parseJson(part.argsJson || '{}')) ?? {},
        });
        break;
    }
  }
  const id = context.id ?? (response.id.startsWith('msg_') ? response.id : mintId('msg_'));
  const head = JSON.stringify({
    id,
    type: 'message',
    role: 'assistant',
    model: context.model,
    content,
    stop_reason: toAnthropicStopReason(response.stopReason),
    stop_sequence: response.stopSequence ?? null,
  });
  const usage = response.usage ?? { input: 0, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0 };
  return `${head.slice(0, -1)},"usage":${encodeAnthropicUsage(usage)}}`;
}
