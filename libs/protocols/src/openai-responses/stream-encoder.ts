import { ClientEncodeContext, nowSeconds } from '../ir/client-context';
import { IrError, upstreamProtocolError } from '../ir/ir-error';
import { ReasoningProvider } from '../ir/ir-request';
import { IrStreamEvent, StreamEncoder } from '../ir/ir-stream';
import { SequentialBlocks } from '../ir/sequential-blocks';
import { openAiErrorShape } from '../openai-chat/errors';
import { mintId } from '../shared/ids';
import { ResolvedTool, ToolNames } from '../shared/tool-names';
import { NormalizedUsage } from '../shared/usage';
import {
  customInputOf,
  customToolCallItem,
  functionCallItem,
  messageItem,
  outputTextPart,
  reasoningItem,
  responseEnvelope,
  responseStatus,
} from './output-items';
import { encodeResponsesUsage } from './usage';

interface OpenItem {
  outputIndex: number;
  itemId: string;
  kind: 'message' | 'reasoning' | 'tool' | 'custom';
  /** Text, reasoning summary or arguments so far: the `.done` events repeat them whole. */
  text: string;
  callId?: string;
  tool?: ResolvedTool;
  provider?: ReasoningProvider;
  signature?: string;
  opaque?: string;
  redacted?: boolean;
  summaryOpen?: boolean;
}

/**
 * Encodes IR events as an OpenAI Responses stream that openai-node's strict accumulator accepts:
 * `event:` + `data:` on every event, `sequence_number` from 0 without gaps, one item at a time
 * (SequentialBlocks) opened by `output_item.added` (+ `content_part.added` for messages) and
 * closed by the matching `.done` events, then `response.completed` (or `.incomplete`) carrying
 * the whole output and usage. No `[DONE]`. Errors: `error` then `response.failed`.
 */
export class ResponsesStreamEncoder implements StreamEncoder {
  private readonly blocks = new SequentialBlocks();
  private readonly open = new Map<number, OpenItem>();
  private readonly done: string[] = [];
  private sequence = 0;
  private nextOutput = 0;
  private started = false;
  private closed = false;
  private id = '';
  private createdAt = 0;
  private usage: NormalizedUsage | null = null;
  private readonly names: ToolNames;

  constructor(
    private readonly context: ClientEncodeContext,
    /** Continue a stream someone else started (a pass-through that failed midway): skip response.created. */
    resume?: { nextSequence: number; responseId: string; createdAt?: number },
  ) {
    this.names = new ToolNames(context.request?.tools ?? []);
    if (resume) {
      this.started = true;
      this.sequence = resume.nextSequence;
      this.id = resume.responseId;
      this.createdAt = resume.createdAt ?? nowSeconds();
    }
  }

  push(event: IrStreamEvent): string {
    if (this.closed) return '';
    let out = '';
    for (const ordered of this.blocks.push(event)) out += this.encode(ordered);
    return out;
  }

  end(): string {
    if (this.closed) return '';
    return this.fail(upstreamProtocolError('upstream stream ended before it finished'));
  }

  keepAlive(): string {
    return ': keep-alive\n\n';
  }

  private encode(event: IrStreamEvent): string {
    if (event.type === 'start') return this.start(event.id, event.created);
    if (event.type === 'error') return this.fail(event.error);
    const head = this.started ? '' : this.start(undefined, undefined);
    switch (event.type) {
      case 'text_start': {
        const item = this.openItem(event.index, 'message', 'msg_');
        return (
          head +
          this.emit(
            'response.output_item.added',
            `"output_index":${item.outputIndex},"item":${messageItem(item.itemId, '', 'in_progress')}`,
          ) +
          this.emit(
            'response.content_part.added',
            `"item_id":${JSON.stringify(item.itemId)},"output_index":${item.outputIndex},"content_index":0,"part":${outputTextPart('')}`,
          )
        );
      }
      case 'text_delta': {
        const item = this.open.get(event.index);
        if (!item || item.kind !== 'message') return head;
        item.text += event.text;
        return (
          head +
          this.emit(
            'response.output_text.delta',
            `"item_id":${JSON.stringify(item.itemId)},"output_index":${item.outputIndex},"content_index":0,"delta":${JSON.stringify(event.text)},"logprobs":[]`,
          )
        );
      }
      case 'reasoning_start': {
        const item = this.openItem(event.index, 'reasoning', 'rs_');
        item.provider = event.provider;
        if (event.opaque) item.opaque = event.opaque;
        if (event.redacted) item.redacted = true;
        return (
          head +
          this.emit(
            'response.output_item.added',
            `"output_index":${item.outputIndex},"item":{"id":${JSON.stringify(item.itemId)},"type":"reasoning","summary":[]}`,
          )
        );
      }
      case 'reasoning_delta': {
        const item = this.open.get(event.index);
        if (!item || item.kind !== 'reasoning') return head;
        let out = head;
        const where = `"item_id":${JSON.stringify(item.itemId)},"output_index":${item.outputIndex},"summary_index":0`;
        if (!item.summaryOpen) {
          item.summaryOpen = true;
          out += this.emit(
            'response.reasoning_summary_part.added',
            `${where},"part":{"type":"summary_text","text":""}`,
          );
        }
        item.text += event.text;
        return (
          out +
          this.emit('response.reasoning_summary_text.delta', `${where},"delta":${JSON.stringify(event.text)}`)
        );
      }
      case 'reasoning_signature': {
        const item = this.open.get(event.index);
        if (item) item.signature = event.signature;
        return head;
      }
      case 'tool_start': {
        const resolved = this.names.resolve(event.name);
        const tool =
          event.namespace && !resolved.namespace ? { ...resolved, namespace: event.namespace } : resolved;
        const item = this.openItem(
          event.index,
          tool.custom ? 'custom' : 'tool',
          tool.custom ? 'ctc_' : 'fc_',
        );
        item.callId = event.id;
        item.tool = tool;
        const added = tool.custom
          ? customToolCallItem(item.itemId, event.id, tool, '', 'in_progress')
          : functionCallItem(item.itemId, event.id, tool, '', 'in_progress');
        return (
          head + this.emit('response.output_item.added', `"output_index":${item.outputIndex},"item":${added}`)
        );
      }
      case 'tool_args_delta': {
        const item = this.open.get(event.index);
        if (!item || (item.kind !== 'tool' && item.kind !== 'custom')) return head;
        item.text += event.json;
        // Free-form input is only known once its `{"input": …}` wrapper is complete.
        if (item.kind === 'custom' || event.json === '') return head;
        return (
          head +
          this.emit(
            'response.function_call_arguments.delta',
            `"item_id":${JSON.stringify(item.itemId)},"output_index":${item.outputIndex},"delta":${JSON.stringify(event.json)}`,
          )
        );
      }
      case 'block_end':
        return head + this.close(event.index, event.opaque);
      case 'usage':
        this.usage = event.usage;
        return head;
      case 'finish': {
        this.closed = true;
        const { status, incomplete } = responseStatus(event.reason);
        const response = this.envelope(status, incomplete, 'null');
        return (
          head +
          this.emit(
            status === 'completed' ? 'response.completed' : 'response.incomplete',
            `"response":${response}`,
          )
        );
      }
    }
  }

  private start(upstreamId: string | undefined, created: number | undefined): string {
    if (this.started) return '';
    this.started = true;
    this.id = this.context.id ?? (upstreamId?.startsWith('resp_') ? upstreamId : mintId('resp_'));
    this.createdAt = this.context.created ?? created ?? nowSeconds();
    const response = responseEnvelope({
      id: this.id,
      createdAt: this.createdAt,
      model: this.context.model,
      status: 'in_progress',
      output: '[]',
      usage: 'null',
      incomplete: 'null',
      error: 'null',
      parallelToolCalls: this.context.request?.parallelToolCalls ?? true,
    });
    return (
      this.emit('response.created', `"response":${response}`) +
      this.emit('response.in_progress', `"response":${response}`)
    );
  }

  private openItem(index: number, kind: OpenItem['kind'], prefix: string): OpenItem {
    const item: OpenItem = { outputIndex: this.nextOutput++, itemId: mintId(prefix), kind, text: '' };
    this.open.set(index, item);
    return item;
  }

  private close(index: number, opaque: string | undefined): string {
    const item = this.open.get(index);
    if (!item) return '';
    this.open.delete(index);
    const id = JSON.stringify(item.itemId);
    const at = `"item_id":${id},"output_index":${item.outputIndex}`;
    let out = '';
    let final: string;
    switch (item.kind) {
      case 'message':
        final = messageItem(item.itemId, item.text);
        out += this.emit(
          'response.output_text.done',
          `${at},"content_index":0,"text":${JSON.stringify(item.text)},"logprobs":[]`,
        );
        out += this.emit(
          'response.content_part.done',
          `${at},"content_index":0,"part":${outputTextPart(item.text)}`,
        );
        break;
      case 'reasoning':
        final = reasoningItem(item.itemId, {
          provider: item.provider ?? 'openai',
          text: item.text,
          signature: item.signature,
          opaque: opaque ?? item.opaque,
          redacted: item.redacted,
        });
        if (item.summaryOpen) {
          const where = `${at},"summary_index":0`;
          out += this.emit(
            'response.reasoning_summary_text.done',
            `${where},"text":${JSON.stringify(item.text)}`,
          );
          out += this.emit(
            'response.reasoning_summary_part.done',
            `${where},"part":{"type":"summary_text","text":${JSON.stringify(item.text)}}`,
          );
        }
        break;
      case 'custom': {
        const input = customInputOf(item.text);
        final = customToolCallItem(
          item.itemId,
          item.callId ?? '',
          item.tool ?? { name: '', custom: true },
          input,
        );
        if (input)
          out += this.emit('response.custom_tool_call_input.delta', `${at},"delta":${JSON.stringify(input)}`);
        out += this.emit('response.custom_tool_call_input.done', `${at},"input":${JSON.stringify(input)}`);
        break;
      }
      case 'tool': {
        const args = item.text || '{}';
        final = functionCallItem(
          item.itemId,
          item.callId ?? '',
          item.tool ?? { name: '', custom: false },
          args,
        );
        out += this.emit(
          'response.function_call_arguments.done',
          `${at},"arguments":${JSON.stringify(args)}`,
        );
        break;
      }
    }
    this.done[item.outputIndex] = final;
    return out + this.emit('response.output_item.done', `"output_index":${item.outputIndex},"item":${final}`);
  }

  private envelope(status: string, incomplete: string, error: string): string {
    return responseEnvelope({
      id: this.id,
      createdAt: this.createdAt,
      model: this.context.model,
      status,
      output: `[${this.done.join(',')}]`,
      usage: this.usage ? encodeResponsesUsage(this.usage) : 'null',
      incomplete,
      error,
      parallelToolCalls: this.context.request?.parallelToolCalls ?? true,
    });
  }

  /** `error` (flat fields and nested `error`, for either reader) then `response.failed`. */
  private fail(error: IrError): string {
    this.closed = true;
    const head = this.started ? '' : this.start(undefined, undefined);
    const shape = openAiErrorShape(error);
    const code = JSON.stringify(error.code ?? shape.code ?? 'upstream_error');
    const message = JSON.stringify(error.message);
    const body = `{"type":"${shape.type}","code":${code},"message":${message},"param":null}`;
    return (
      head +
      this.emit('error', `"code":${code},"message":${message},"param":null,"error":${body}`) +
      this.emit(
        'response.failed',
        `"response":${this.envelope('failed', 'null', `{"code":${code},"message":${message}}`)}`,
      )
    );
  }

  private emit(type: string, fields: string): string {
    return `event: ${type}\ndata: {"type":"${type}","sequence_number":${this.sequence++},${fields}}\n\n`;
  }
}
