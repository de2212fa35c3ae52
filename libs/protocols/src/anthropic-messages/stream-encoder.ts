import { ClientEncodeContext } from '../ir/client-context';
import { upstreamProtocolError } from '../ir/ir-error';
import { ReasoningProvider } from '../ir/ir-request';
import { IrStreamEvent, StreamEncoder } from '../ir/ir-stream';
import { SequentialBlocks } from '../ir/sequential-blocks';
import { toAnthropicStopReason } from '../ir/stop-reasons';
import { mintId, sanitizeToolId } from '../shared/ids';
import { EMPTY_USAGE, NormalizedUsage } from '../shared/usage';
import { ToolNames } from '../shared/tool-names';
import { anthropicStreamError } from './errors';
import { clientWantsThinking, signatureFor, thinkingOmitted } from './thinking';
import { encodeAnthropicUsage } from './usage';

interface WireBlock {
  index: number;
  kind: 'text' | 'thinking' | 'redacted' | 'tool';
  provider?: ReasoningProvider;
  /** Reasoning text kept only when the client omits display, so the wrapper can carry it. */
  text: string;
  opaque?: string;
  id?: string;
}

/**
 * Encodes IR events as an Anthropic Messages stream: `event:` lines on every event (the SDK
 * dispatches on them), one message_start, content blocks with contiguous indexes from 0 and
 * never interleaved (SequentialBlocks), one message_delta with the cumulative usage, message_stop.
 */
export class AnthropicStreamEncoder implements StreamEncoder {
  private readonly blocks = new SequentialBlocks();
  private readonly wire = new Map<number, WireBlock>();
  private nextBlock = 0;
  private started = false;
  private closed = false;
  private usage: NormalizedUsage | null = null;
  private readonly names: ToolNames;
  private readonly thinking: boolean;
  private readonly omitted: boolean;

  constructor(private readonly context: ClientEncodeContext) {
    this.names = new ToolNames(context.request?.tools ?? []);
    this.thinking = clientWantsThinking(context.request);
    this.omitted = thinkingOmitted(context.request);
  }

  push(event: IrStreamEvent): string {
    if (this.closed) return '';
    let out = '';
    for (const ordered of this.blocks.push(event)) out += this.encode(ordered);
    return out;
  }

  end(): string {
    if (this.closed) return '';
    this.closed = true;
    return anthropicStreamError(upstreamProtocolError('upstream stream ended before it finished'));
  }

  keepAlive(): string {
    return 'event: ping\ndata: {"type": "ping"}\n\n';
  }

  private encode(event: IrStreamEvent): string {
    if (event.type === 'error') {
      this.closed = true;
      return anthropicStreamError(event.error);
    }
    const head = this.started || event.type === 'start' ? '' : this.start(undefined, undefined);
    switch (event.type) {
      case 'start':
        return this.start(event.id, event.usage);
      case 'text_start':
        return (
          head + this.open(event.index, { index: 0, kind: 'text', text: '' }, '{"type":"text","text":""}')
        );
      case 'text_delta':
        return head + this.delta(event.index, `{"type":"text_delta","text":${JSON.stringify(event.text)}}`);
      case 'reasoning_start': {
        if (!this.thinking) return head;
        if (event.redacted && event.provider === 'anthropic') {
          return (
            head +
            this.open(
              event.index,
              { index: 0, kind: 'redacted', text: '' },
              `{"type":"redacted_thinking","data":${JSON.stringify(event.opaque ?? '')}}`,
            )
          );
        }
        const block: WireBlock = {
          index: 0,
          kind: 'thinking',
          provider: event.provider,
          text: '',
          ...(event.opaque ? { opaque: event.opaque } : {}),
          ...(event.id ? { id: event.id } : {}),
        };
        return head + this.open(event.index, block, '{"type":"thinking","thinking":"","signature":""}');
      }
      case 'reasoning_delta': {
        const block = this.wire.get(event.index);
        if (!block || block.kind !== 'thinking') return head;
        if (this.omitted) {
          if (block.provider !== 'anthropic') block.text += event.text;
          return head;
        }
        return (
          head + this.delta(event.index, `{"type":"thinking_delta","thinking":${JSON.stringify(event.text)}}`)
        );
      }
      case 'reasoning_signature': {
        const block = this.wire.get(event.index);
        if (!block || block.kind !== 'thinking' || block.provider !== 'anthropic') return head;
        return (
          head +
          this.delta(event.index, `{"type":"signature_delta","signature":${JSON.stringify(event.signature)}}`)
        );
      }
      case 'tool_start': {
        const id = JSON.stringify(sanitizeToolId(event.id));
        const name = JSON.stringify(this.names.resolve(event.name).name);
        return (
          head +
          this.open(
            event.index,
            { index: 0, kind: 'tool', text: '' },
            `{"type":"tool_use","id":${id},"name":${name},"input":{}}`,
          )
        );
      }
      case 'tool_args_delta':
        return (
          head +
          this.delta(event.index, `{"type":"input_json_delta","partial_json":${JSON.stringify(event.json)}}`)
        );
      case 'block_end': {
        const block = this.wire.get(event.index);
        if (!block) return head;
        this.wire.delete(event.index);
        let out = head;
        if (block.kind === 'thinking' && block.provider !== 'anthropic') {
          // Reasoning from another provider gets our wrapper as its signature (see signatureFor).
          const signature = signatureFor({
            provider: block.provider ?? 'openai-compatible',
            text: block.text,
            opaque: event.opaque ?? block.opaque,
            id: block.id,
          });
          out += this.event(
            'content_block_delta',
            `{"type":"content_block_delta","index":${block.index},"delta":{"type":"signature_delta","signature":${JSON.stringify(signature)}}}`,
          );
        }
        return out + this.event('content_block_stop', `{"type":"content_block_stop","index":${block.index}}`);
      }
      case 'usage':
        this.usage = event.usage;
        return head;
      case 'finish': {
        this.closed = true;
        const stop = JSON.stringify(toAnthropicStopReason(event.reason));
        const sequence = event.stopSequence === undefined ? 'null' : JSON.stringify(event.stopSequence);
        const usage = encodeAnthropicUsage(this.usage ?? EMPTY_USAGE);
        return (
          head +
          this.event(
            'message_delta',
            `{"type":"message_delta","delta":{"stop_reason":${stop},"stop_sequence":${sequence}},"usage":${usage}}`,
          ) +
          this.event('message_stop', '{"type":"message_stop"}')
        );
      }
    }
  }

  private start(upstreamId: string | undefined, usage: NormalizedUsage | undefined): string {
    if (this.started) return '';
    this.started = true;
    if (usage) this.usage = usage;
    const id = this.context.id ?? (upstreamId?.startsWith('msg_') ? upstreamId : mintId('msg_'));
    const message =
      `{"id":${JSON.stringify(id)},"type":"message","role":"assistant","model":${JSON.stringify(this.context.model)},` +
      `"content":[],"stop_reason":null,"stop_sequence":null,"usage":${encodeAnthropicUsage(usage ?? EMPTY_USAGE)}}`;
    return this.event('message_start', `{"type":"message_start","message":${message}}`);
  }

  private open(irIndex: number, block: WireBlock, contentBlock: string): string {
    block.index = this.nextBlock++;
    this.wire.set(irIndex, block);
    return this.event(
      'content_block_start',
      `{"type":"content_block_start","index":${block.index},"content_block":${contentBlock}}`,
    );
  }

  private delta(irIndex: number, delta: string): string {
    const block = this.wire.get(irIndex);
    if (!block) return '';
    return this.event(
      'content_block_delta',
      `{"type":"content_block_delta","index":${block.index},"delta":${delta}}`,
    );
  }

  private event(name: string, data: string): string {
    return `event: ${name}\ndata: ${data}\n\n`;
  }
}
