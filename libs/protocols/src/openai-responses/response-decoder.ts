import { JsonObject } from '@switchyard/common';
import { IrOutputPart, IrResponse, IrStopReason } from '../ir/ir-response';
import { decodeOpenAiErrorObject } from '../openai-chat/errors';
import { failedUpstream, malformedUpstream } from '../shared/errors';
import { mintId } from '../shared/ids';
import { arr, int, obj, parseJsonObject, str } from '../shared/read';
import { customArgsJson } from '../shared/tool-names';
import { normalizeResponsesUsage } from './usage';

/** Decodes a non-streaming Responses body; throws UpstreamResponseError for failures and garbage. */
export function decodeResponsesResponse(bodyText: string): IrResponse {
  const root = parseJsonObject(bodyText);
  if (!root) throw malformedUpstream('upstream returned a body that is not a JSON object');
  return decodeResponsesResponseObject(root);
}

export function decodeResponsesResponseObject(root: JsonObject): IrResponse {
  const status = str(root.status);
  if (status === 'failed' || (root.object !== 'response' && obj(root.error))) {
    const error = obj(root.error);
    throw failedUpstream(
      (error && decodeOpenAiErrorObject({ error }, 0)) ?? {
        status: 502,
        type: 'server',
        message: 'upstream response failed',
      },
    );
  }
  const output = arr(root.output);
  if (!output) throw malformedUpstream('upstream response has no output array');
  const content = decodeOutputItems(output);
  const created = int(root.created_at);
  return {
    id: str(root.id) ?? mintId('resp_'),
    model: str(root.model) ?? '',
    ...(created !== undefined ? { created } : {}),
    content,
    stopReason: responsesStopReason(
      status,
      obj(root.incomplete_details),
      content.some((part) => part.type === 'tool_call'),
    ),
    usage: normalizeResponsesUsage(root.usage),
  };
}

/** The IR parts of Responses output items (also used for `response.completed` in streams). */
export function decodeOutputItems(output: readonly unknown[]): IrOutputPart[] {
  const content: IrOutputPart[] = [];
  for (const raw of output) {
    const item = obj(raw);
    if (!item) continue;
    switch (item.type) {
      case 'message':
        for (const rawPart of arr(item.content) ?? []) {
          const part = obj(rawPart);
          if (part?.type === 'output_text') content.push({ type: 'text', text: str(part.text) ?? '' });
          else if (part?.type === 'refusal')
            content.push({ type: 'text', text: str(part.refusal) ?? '', refusal: true });
        }
        break;
      case 'reasoning':
        content.push(decodeReasoningOutput(item));
        break;
      case 'function_call': {
        const namespace = str(item.namespace);
        const args = str(item.arguments) ?? '';
        content.push({
          type: 'tool_call',
          id: str(item.call_id) || mintId('call_'),
          name: str(item.name) ?? '',
          argsJson: args.trim() === '' ? '{}' : args,
          ...(namespace ? { namespace } : {}),
        });
        break;
      }
      case 'custom_tool_call': {
        const input = str(item.input) ?? '';
        const namespace = str(item.namespace);
        content.push({
          type: 'tool_call',
          id: str(item.call_id) || mintId('call_'),
          name: str(item.name) ?? '',
          argsJson: customArgsJson(input),
          custom: { input },
          ...(namespace ? { namespace } : {}),
        });
        break;
      }
      default:
        break; // hosted-tool items only mean something to Responses clients, which get pass-through
    }
  }
  return content;
}

function decodeReasoningOutput(item: JsonObject): IrOutputPart {
  let text = '';
  for (const raw of arr(item.summary) ?? []) {
    const piece = str(obj(raw)?.text);
    if (piece) text += text ? `\n\n${piece}` : piece;
  }
  if (!text) {
    for (const raw of arr(item.content) ?? []) {
      const piece = str(obj(raw)?.text);
      if (piece) text += piece;
    }
  }
  const encrypted = str(item.encrypted_content);
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

/** Responses has no finish reason: it is the status, the incomplete reason, or function calls. */
export function responsesStopReason(
  status: string | undefined,
  incomplete: JsonObject | undefined,
  hasToolCalls: boolean,
): IrStopReason {
  if (status === 'incomplete') {
    const reason = incomplete && str(incomplete.reason);
    return reason === 'content_filter' ? 'content_filter' : 'length';
  }
  return hasToolCalls ? 'tool_calls' : 'stop';
}
