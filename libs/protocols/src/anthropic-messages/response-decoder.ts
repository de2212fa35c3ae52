import { JsonObject } from '@switchyard/common';
import { IrOutputPart, IrResponse } from '../ir/ir-response';
import { fromAnthropicStopReason } from '../ir/stop-reasons';
import { failedUpstream, malformedUpstream } from '../shared/errors';
import { mintId } from '../shared/ids';
import { arr, obj, parseJsonObject, str } from '../shared/read';
import { decodeAnthropicErrorObject } from './errors';
import { normalizeAnthropicUsage } from './usage';

/** Decodes a non-streaming Anthropic Messages response; throws UpstreamResponseError otherwise. */
export function decodeAnthropicResponse(bodyText: string): IrResponse {
  const root = parseJsonObject(bodyText);
  if (!root) throw malformedUpstream('upstream returned a body that is not a JSON object');
  return decodeAnthropicResponseObject(root);
}

export function decodeAnthropicResponseObject(root: JsonObject): IrResponse {
  if (root.type === 'error') {
    throw failedUpstream(
      decodeAnthropicErrorObject(root, 502) ?? { status: 502, type: 'server', message: 'upstream error' },
    );
  }
  const blocks = arr(root.content);
  if (!blocks) throw malformedUpstream('upstream response has no content array');
  const content: IrOutputPart[] = [];
  for (const item of blocks) {
    const block = obj(item);
    if (!block) continue;
    switch (block.type) {
      case 'text':
        content.push({ type: 'text', text: str(block.text) ?? '' });
        break;
      case 'thinking': {
        const signature = str(block.signature);
        content.push({
          type: 'reasoning',
          text: str(block.thinking) ?? '',
          provider: 'anthropic',
          ...(signature ? { signature } : {}),
        });
        break;
      }
      case 'redacted_thinking': {
        const data = str(block.data);
        content.push({
          type: 'reasoning',
          text: '',
          provider: 'anthropic',
          redacted: true,
          ...(data ? { opaque: data } : {}),
        });
        break;
      }
      case 'tool_use':
        content.push({
          type: 'tool_call',
          id: str(block.id) || mintId('toolu_'),
          name: str(block.name) ?? '',
          argsJson: JSON.stringify(block.input ?? {}),
        });
        break;
      default:
        break; // server-tool blocks only mean something to Anthropic clients, which get pass-through
    }
  }
  const stopSequence = str(root.stop_sequence);
  return {
    id: str(root.id) ?? mintId('msg_'),
    model: str(root.model) ?? '',
    content,
    stopReason: fromAnthropicStopReason(root.stop_reason),
    ...(stopSequence ? { stopSequence } : {}),
    usage: normalizeAnthropicUsage(root.usage),
  };
}
