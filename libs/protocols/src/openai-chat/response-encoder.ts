import { JsonObject } from '@switchyard/common';
import { ClientEncodeContext, nowSeconds } from '../ir/client-context';
import { IrResponse } from '../ir/ir-response';
import { toOpenAiFinishReason } from '../ir/stop-reasons';
import { mintId } from '../shared/ids';
import { ToolNames } from '../shared/tool-names';
import { encodeOpenAiChatUsage } from './usage';

/** Encodes an IR response as a Chat Completions `chat.completion` body for the client. */
export function encodeOpenAiChatResponse(response: IrResponse, context: ClientEncodeContext): string {
  const names = new ToolNames(context.request?.tools ?? []);
  let text = '';
  let refusal = '';
  let reasoning = '';
  const calls: JsonObject[] = [];
  for (const part of response.content) {
    if (part.type === 'text') {
      if (part.refusal) refusal += part.text;
      else text += part.text;
    } else if (part.type === 'reasoning') {
      reasoning += part.text;
    } else {
      const client = names.resolve(part.name);
      calls.push(
        client.custom && part.custom
          ? { id: part.id, type: 'custom', custom: { name: client.name, input: part.custom.input } }
          : {
              id: part.id,
              type: 'function',
              function: { name: client.name, arguments: part.argsJson || '{}' },
            },
      );
    }
  }
  const message: JsonObject = {
    role: 'assistant',
    content: text.length > 0 || calls.length === 0 ? text : null,
    refusal: refusal || null,
  };
  // Not an OpenAI field, but what DeepSeek-style clients display; OpenAI SDKs ignore it.
  if (reasoning) message.reasoning_content = reasoning;
  if (calls.length > 0) message.tool_calls = calls;
  const id = context.id ?? (response.id.startsWith('chatcmpl') ? response.id : mintId('chatcmpl-'));
  const head = JSON.stringify({
    id,
    object: 'chat.completion',
    created: context.created ?? response.created ?? nowSeconds(),
    model: context.model,
    choices: [
      { index: 0, message, logprobs: null, finish_reason: toOpenAiFinishReason(response.stopReason) },
    ],
  });
  // usage is spliced in as text: encodeOpenAiChatUsage already builds it without an object.
  return response.usage ? `${head.slice(0, -1)},"usage":${encodeOpenAiChatUsage(response.usage)}}` : head;
}
