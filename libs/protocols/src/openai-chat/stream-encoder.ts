import { ClientEncodeContext, nowSeconds } from '../ir/client-context';
import { upstreamProtocolError } from '../ir/ir-error';
import { IrStreamEvent, StreamEncoder } from '../ir/ir-stream';
import { toOpenAiFinishReason } from '../ir/stop-reasons';
import { NormalizedUsage } from '../shared/usage';
import { mintId } from '../shared/ids';
import { ToolNames } from '../shared/tool-names';
import { openAiChatStreamError } from './errors';
import { encodeOpenAiChatUsage } from './usage';

/**
 * Encodes IR events as a Chat Completions stream the way openai-node's accumulator needs it:
 * the first chunk carries `role`, each tool call's first delta carries id + type + name, one
 * chunk carries `finish_reason`, a `choices: []` usage chunk follows only if the client asked
 * for it, then `data: [DONE]`. Chunks are built as strings around a prefix computed once.
 */
export class OpenAiChatStreamEncoder implements StreamEncoder {
  private prefix = '';
  private closed = false;
  private nextTool = 0;
  private readonly toolOf = new Map<number, number>();
  private usage: NormalizedUsage | null = null;
  private readonly names: ToolNames;
  private readonly includeUsage: boolean;
  private readonly showReasoning: boolean;

  constructor(private readonly context: ClientEncodeContext) {
    this.names = new ToolNames(context.request?.tools ?? []);
    this.includeUsage = context.request?.wantUsage ?? false;
    const reasoning = context.request?.reasoning;
    this.showReasoning = reasoning !== undefined && reasoning.mode !== 'disabled';
  }

  push(event: IrStreamEvent): string {
    if (this.closed) return '';
    if (event.type === 'start') return this.start(event.id, event.created);
    if (event.type === 'error') {
      // An error before any content needs no role chunk: the client sees just the failure.
      this.closed = true;
      return openAiChatStreamError(event.error);
    }
    const head = this.prefix ? '' : this.start(undefined, undefined);
    switch (event.type) {
      case 'text_delta':
        return (
          head + this.chunk(`{"${event.refusal ? 'refusal' : 'content'}":${JSON.stringify(event.text)}}`)
        );
      case 'reasoning_delta':
        // Not an OpenAI field; DeepSeek-style clients show it, OpenAI SDKs ignore it.
        return this.showReasoning
          ? head + this.chunk(`{"reasoning_content":${JSON.stringify(event.text)}}`)
          : head;
      case 'tool_start': {
        const position = this.nextTool++;
        this.toolOf.set(event.index, position);
        const name = this.names.resolve(event.name).name;
        return (
          head +
          this.chunk(
            `{"tool_calls":[{"index":${position},"id":${JSON.stringify(event.id)},"type":"function","function":{"name":${JSON.stringify(name)},"arguments":""}}]}`,
          )
        );
      }
      case 'tool_args_delta': {
        const position = this.toolOf.get(event.index);
        if (position === undefined || event.json === '') return head;
        return (
          head +
          this.chunk(
            `{"tool_calls":[{"index":${position},"function":{"arguments":${JSON.stringify(event.json)}}}]}`,
          )
        );
      }
      case 'usage':
        this.usage = event.usage;
        return head;
      case 'finish': {
        this.closed = true;
        let out = head + this.chunk('{}', toOpenAiFinishReason(event.reason));
        if (this.includeUsage && this.usage)
          out += `${this.prefix}"choices":[],"usage":${encodeOpenAiChatUsage(this.usage)}}\n\n`;
        return `${out}data: [DONE]\n\n`;
      }
      case 'text_start':
      case 'reasoning_start':
      case 'reasoning_signature':
      case 'block_end':
        return head;
    }
  }

  end(): string {
    if (this.closed) return '';
    this.closed = true;
    return openAiChatStreamError(upstreamProtocolError('upstream stream ended before it finished'));
  }

  keepAlive(): string {
    return ': keep-alive\n\n';
  }

  /** The first chunk: openai-node throws "missing role" without it. */
  private start(upstreamId: string | undefined, created: number | undefined): string {
    if (this.prefix) return '';
    const id = this.context.id ?? (upstreamId?.startsWith('chatcmpl') ? upstreamId : mintId('chatcmpl-'));
    const when = this.context.created ?? created ?? nowSeconds();
    this.prefix = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${when},"model":${JSON.stringify(this.context.model)},`;
    return this.chunk('{"role":"assistant","content":""}');
  }

  private chunk(delta: string, finishReason: string | null = null): string {
    const finish = finishReason === null ? 'null' : `"${finishReason}"`;
    return `${this.prefix}"choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]}\n\n`;
  }
}
