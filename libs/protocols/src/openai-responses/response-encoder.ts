import { ClientEncodeContext, nowSeconds } from '../ir/client-context';
import { IrResponse } from '../ir/ir-response';
import { mintId } from '../shared/ids';
import { ToolNames } from '../shared/tool-names';
import {
  customInputOf,
  customToolCallItem,
  functionCallItem,
  messageItem,
  reasoningItem,
  responseEnvelope,
  responseStatus,
} from './output-items';
import { encodeResponsesUsage } from './usage';

/** Encodes an IR response as an OpenAI Responses `response` object for the client. */
export function encodeResponsesResponse(response: IrResponse, context: ClientEncodeContext): string {
  const names = new ToolNames(context.request?.tools ?? []);
  const items: string[] = [];
  let text = '';
  const flush = (): void => {
    if (text) items.push(messageItem(mintId('msg_'), text));
    text = '';
  };
  for (const part of response.content) {
    if (part.type === 'text') {
      text += part.text;
      continue;
    }
    flush();
    if (part.type === 'reasoning') items.push(reasoningItem(part.id ?? mintId('rs_'), part));
    else {
      const resolved = names.resolve(part.name);
      const tool =
        part.namespace && !resolved.namespace ? { ...resolved, namespace: part.namespace } : resolved;
      items.push(
        tool.custom
          ? customToolCallItem(
              mintId('ctc_'),
              part.id,
              tool,
              part.custom?.input ?? customInputOf(part.argsJson),
            )
          : functionCallItem(mintId('fc_'), part.id, tool, part.argsJson || '{}'),
      );
    }
  }
  flush();
  const { status, incomplete } = responseStatus(response.stopReason);
  return responseEnvelope({
    id: context.id ?? (response.id.startsWith('resp_') ? response.id : mintId('resp_')),
    createdAt: context.created ?? response.created ?? nowSeconds(),
    model: context.model,
    status,
    output: `[${items.join(',')}]`,
    usage: response.usage ? encodeResponsesUsage(response.usage) : 'null',
    incomplete,
    error: 'null',
    parallelToolCalls: context.request?.parallelToolCalls ?? true,
  });
}
