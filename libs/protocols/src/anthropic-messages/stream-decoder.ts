import { JsonObject } from '@switchyard/common';
import { upstreamProtocolError } from '../ir/ir-error';
import { IrStreamEvent, StreamDecoder } from '../ir/ir-stream';
import { IrStopReason } from '../ir/ir-response';
import { fromAnthropicStopReason } from '../ir/stop-reasons';
import { mintId } from '../shared/ids';
import { int, obj, parseJsonObject, str } from '../shared/read';
import { SseEvent } from '../sse/sse-event';
import { decodeAnthropicErrorObject } from './errors';
import { AnthropicUsageAccumulator } from './usage';

type BlockKind = 'text' | 'reasoning' | 'tool' | 'ignored';

/**
 * Decodes an Anthropic Messages stream into IR events. Usage starts from `message_start` and is
 * overwritten field by field by each cumulative `message_delta`. Server-tool blocks, citations
 * and unknown events are skipped; an `error` event (possibly the very first) ends the stream.
 */
export class AnthropicStreamDecoder implements StreamDecoder {
  private started = false;
  private closed = false;
  private readonly usage = new AnthropicUsageAccumulator();
  private readonly blocks = new Map<number, { kind: BlockKind; argsSeen: boolean }>();
  private stopReason: IrStopReason = 'stop';
  private stopSequence: string | undefined;

  push(event: SseEvent): IrStreamEvent[] {
    if (this.closed) return [];
    const data = parseJsonObject(event.data);
    if (!data) return this.fail('upstream sent a stream event that is not JSON');
    const type = str(data.type) ?? event.event;
    switch (type) {
      case 'message_start':
        return this.start(obj(data.message));
      case 'content_block_start':
        return this.blockStart(data);
      case 'content_block_delta':
        return this.blockDelta(data);
      case 'content_block_stop':
        return this.blockStop(int(data.index) ?? -1);
      case 'message_delta': {
        const delta = obj(data.delta);
        if (delta && delta.stop_reason !== undefined && delta.stop_reason !== null)
          this.stopReason = fromAnthropicStopReason(delta.stop_reason);
        const sequence = delta && str(delta.stop_sequence);
        if (sequence) this.stopSequence = sequence;
        const usage = this.usage.delta(data.usage);
        return [...this.ensureStarted(), ...(usage ? [{ type: 'usage' as const, usage }] : [])];
      }
      case 'message_stop': {
        const out = this.ensureStarted();
        for (const index of [...this.blocks.keys()]) out.push(...this.blockStop(index));
        this.closed = true;
        out.push(
          this.stopSequence
            ? { type: 'finish', reason: this.stopReason, stopSequence: this.stopSequence }
            : { type: 'finish', reason: this.stopReason },
        );
        return out;
      }
      case 'error': {
        this.closed = true;
        const error =
          decodeAnthropicErrorObject(data, 0) ?? upstreamProtocolError('upstream reported an error');
        return [{ type: 'error', error }];
      }
      default:
        return []; // ping and event types added after this was written
    }
  }

  end(): IrStreamEvent[] {
    if (this.closed) return [];
    return this.fail(
      this.started
        ? 'upstream stream ended before message_stop'
        : 'upstream closed the stream without sending an event',
    );
  }

  private start(message: JsonObject | undefined): IrStreamEvent[] {
    if (this.started) return [];
    this.started = true;
    const usage = message ? this.usage.start(message.usage) : null;
    const start: IrStreamEvent = {
      type: 'start',
      id: (message && str(message.id)) || mintId('msg_'),
      model: (message && str(message.model)) ?? '',
      ...(usage ? { usage } : {}),
    };
    return usage ? [start, { type: 'usage', usage }] : [start];
  }

  private ensureStarted(): IrStreamEvent[] {
    return this.started ? [] : this.start(undefined);
  }

  private blockStart(data: JsonObject): IrStreamEvent[] {
    const index = int(data.index);
    const block = obj(data.content_block);
    if (index === undefined || !block) return [];
    const out = this.ensureStarted();
    switch (block.type) {
      case 'text': {
        this.blocks.set(index, { kind: 'text', argsSeen: false });
        out.push({ type: 'text_start', index });
        const text = str(block.text);
        if (text) out.push({ type: 'text_delta', index, text });
        return out;
      }
      case 'thinking': {
        this.blocks.set(index, { kind: 'reasoning', argsSeen: false });
        out.push({ type: 'reasoning_start', index, provider: 'anthropic' });
        const text = str(block.thinking);
        if (text) out.push({ type: 'reasoning_delta', index, text });
        const signature = str(block.signature);
        if (signature) out.push({ type: 'reasoning_signature', index, signature });
        return out;
      }
      case 'redacted_thinking': {
        this.blocks.set(index, { kind: 'reasoning', argsSeen: false });
        const data = str(block.data);
        out.push({
          type: 'reasoning_start',
          index,
          provider: 'anthropic',
          redacted: true,
          ...(data ? { opaque: data } : {}),
        });
        return out;
      }
      case 'tool_use':
        this.blocks.set(index, { kind: 'tool', argsSeen: false });
        out.push({
          type: 'tool_start',
          index,
          id: str(block.id) || mintId('toolu_'),
          name: str(block.name) ?? '',
        });
        return out;
      default:
        this.blocks.set(index, { kind: 'ignored', argsSeen: false });
        return out;
    }
  }

  private blockDelta(data: JsonObject): IrStreamEvent[] {
    const index = int(data.index);
    const block = index === undefined ? undefined : this.blocks.get(index);
    const delta = obj(data.delta);
    if (index === undefined || !block || !delta || block.kind === 'ignored') return [];
    switch (delta.type) {
      case 'text_delta': {
        const text = str(delta.text);
        return text ? [{ type: 'text_delta', index, text }] : [];
      }
      case 'thinking_delta': {
        const text = str(delta.thinking);
        return text ? [{ type: 'reasoning_delta', index, text }] : [];
      }
      case 'signature_delta': {
        const signature = str(delta.signature);
        return signature ? [{ type: 'reasoning_signature', index, signature }] : [];
      }
      case 'input_json_delta': {
        const json = str(delta.partial_json);
        if (!json) return []; // the first fragment is often ""
        block.argsSeen = true;
        return [{ type: 'tool_args_delta', index, json }];
      }
      default:
        return []; // citations_delta and future delta types
    }
  }

  private blockStop(index: number): IrStreamEvent[] {
    const block = this.blocks.get(index);
    if (!block) return [];
    this.blocks.delete(index);
    if (block.kind === 'ignored') return [];
    const out: IrStreamEvent[] = [];
    // A tool with no arguments streams only "": its arguments are {} (clients JSON.parse them).
    if (block.kind === 'tool' && !block.argsSeen) out.push({ type: 'tool_args_delta', index, json: '{}' });
    out.push({ type: 'block_end', index });
    return out;
  }

  private fail(message: string): IrStreamEvent[] {
    this.closed = true;
    return [{ type: 'error', error: upstreamProtocolError(message) }];
  }
}
