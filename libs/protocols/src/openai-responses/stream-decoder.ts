import { JsonObject } from '@switchyard/common';
import { upstreamProtocolError } from '../ir/ir-error';
import { IrStreamEvent, StreamDecoder } from '../ir/ir-stream';
import { decodeOpenAiErrorObject } from '../openai-chat/errors';
import { mintId } from '../shared/ids';
import { int, obj, parseJsonObject, str } from '../shared/read';
import { SseEvent } from '../sse/sse-event';
import { responsesStopReason } from './response-decoder';
import { normalizeResponsesUsage } from './usage';

interface ItemState {
  kind: 'message' | 'reasoning' | 'tool' | 'custom' | 'other';
  /** IR index of the tool/reasoning block, or of the item's current text block. */
  index: number | null;
  argsSeen: boolean;
  summaryParts: number;
}

/**
 * Decodes an OpenAI Responses stream into IR events, keyed by `output_index`. Usage and the stop
 * reason come from the terminal event (`response.completed` / `.incomplete`); `error` and
 * `response.failed` end the stream with an error.
 */
export class ResponsesStreamDecoder implements StreamDecoder {
  private started = false;
  private closed = false;
  private nextIndex = 0;
  private readonly items = new Map<number, ItemState>();
  private sawToolCall = false;

  push(event: SseEvent): IrStreamEvent[] {
    if (this.closed) return [];
    const data = parseJsonObject(event.data);
    if (!data) return this.fail('upstream sent a stream event that is not JSON');
    const type = str(data.type) ?? event.event;
    switch (type) {
      case 'response.created':
        return this.start(obj(data.response));
      case 'response.output_item.added':
        return [...this.ensureStarted(), ...this.itemAdded(int(data.output_index) ?? -1, obj(data.item))];
      case 'response.content_part.added':
        return this.textStart(int(data.output_index) ?? -1);
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        return this.textDelta(
          int(data.output_index) ?? -1,
          str(data.delta),
          type === 'response.refusal.delta',
        );
      case 'response.content_part.done':
        return this.textEnd(int(data.output_index) ?? -1);
      case 'response.function_call_arguments.delta':
        return this.argsDelta(int(data.output_index) ?? -1, str(data.delta), false);
      case 'response.custom_tool_call_input.delta':
        return this.argsDelta(int(data.output_index) ?? -1, str(data.delta), true);
      case 'response.reasoning_summary_part.added':
        return this.summaryPart(int(data.output_index) ?? -1);
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        return this.reasoningDelta(int(data.output_index) ?? -1, str(data.delta));
      case 'response.output_item.done':
        return this.itemDone(int(data.output_index) ?? -1, obj(data.item));
      case 'response.completed':
      case 'response.incomplete':
        return this.finish(obj(data.response));
      case 'response.failed': {
        this.closed = true;
        const error = obj(obj(data.response)?.error);
        return [
          {
            type: 'error',
            error:
              (error && decodeOpenAiErrorObject({ error }, 0)) ??
              upstreamProtocolError('upstream response failed'),
          },
        ];
      }
      case 'error': {
        this.closed = true;
        // Recorded streams nest the details under `error`; the SDK type has them flat.
        const nested = obj(data.error) ?? data;
        return [
          {
            type: 'error',
            error:
              decodeOpenAiErrorObject({ error: nested }, 0) ??
              upstreamProtocolError('upstream reported an error'),
          },
        ];
      }
      default:
        return []; // in_progress, annotations, hosted-tool progress, and future event types
    }
  }

  end(): IrStreamEvent[] {
    if (this.closed) return [];
    return this.fail(
      this.started
        ? 'upstream stream ended before response.completed'
        : 'upstream closed the stream without sending an event',
    );
  }

  private start(response: JsonObject | undefined): IrStreamEvent[] {
    if (this.started) return [];
    this.started = true;
    const created = response ? int(response.created_at) : undefined;
    return [
      {
        type: 'start',
        id: (response && str(response.id)) || mintId('resp_'),
        model: (response && str(response.model)) ?? '',
        ...(created !== undefined ? { created } : {}),
      },
    ];
  }

  private ensureStarted(): IrStreamEvent[] {
    return this.started ? [] : this.start(undefined);
  }

  private itemAdded(position: number, item: JsonObject | undefined): IrStreamEvent[] {
    if (!item) return [];
    switch (item.type) {
      case 'message':
        this.items.set(position, { kind: 'message', index: null, argsSeen: false, summaryParts: 0 });
        return [];
      case 'reasoning': {
        const index = this.nextIndex++;
        this.items.set(position, { kind: 'reasoning', index, argsSeen: false, summaryParts: 0 });
        const encrypted = str(item.encrypted_content);
        const id = str(item.id);
        return [
          {
            type: 'reasoning_start',
            index,
            provider: 'openai',
            summary: true,
            ...(encrypted ? { opaque: encrypted } : {}),
            ...(id ? { id } : {}),
          },
        ];
      }
      case 'function_call':
      case 'custom_tool_call': {
        const index = this.nextIndex++;
        const custom = item.type === 'custom_tool_call';
        this.items.set(position, {
          kind: custom ? 'custom' : 'tool',
          index,
          argsSeen: false,
          summaryParts: 0,
        });
        this.sawToolCall = true;
        const namespace = str(item.namespace);
        const out: IrStreamEvent[] = [
          {
            type: 'tool_start',
            index,
            id: str(item.call_id) || mintId('call_'),
            name: str(item.name) ?? '',
            ...(namespace ? { namespace } : {}),
          },
        ];
        if (custom) out.push({ type: 'tool_args_delta', index, json: '{"input":"' });
        return out;
      }
      default:
        this.items.set(position, { kind: 'other', index: null, argsSeen: false, summaryParts: 0 });
        return [];
    }
  }

  private textStart(position: number): IrStreamEvent[] {
    const item = this.items.get(position);
    if (!item || item.kind !== 'message' || item.index !== null) return [];
    item.index = this.nextIndex++;
    return [{ type: 'text_start', index: item.index }];
  }

  private textDelta(position: number, text: string | undefined, refusal: boolean): IrStreamEvent[] {
    if (!text) return [];
    const out = this.textStart(position);
    const item = this.items.get(position);
    if (!item || item.kind !== 'message' || item.index === null) return out;
    out.push(
      refusal
        ? { type: 'text_delta', index: item.index, text, refusal }
        : { type: 'text_delta', index: item.index, text },
    );
    return out;
  }

  private textEnd(position: number): IrStreamEvent[] {
    const item = this.items.get(position);
    if (!item || item.kind !== 'message' || item.index === null) return [];
    const index = item.index;
    item.index = null;
    return [{ type: 'block_end', index }];
  }

  private argsDelta(position: number, fragment: string | undefined, raw: boolean): IrStreamEvent[] {
    const item = this.items.get(position);
    if (!item || item.index === null || !fragment || (item.kind !== 'tool' && item.kind !== 'custom'))
      return [];
    item.argsSeen = true;
    // Free-form input is raw text: escaped into the `{"input":"…"}` the IR carries.
    const json = raw || item.kind === 'custom' ? JSON.stringify(fragment).slice(1, -1) : fragment;
    return [{ type: 'tool_args_delta', index: item.index, json }];
  }

  private summaryPart(position: number): IrStreamEvent[] {
    const item = this.items.get(position);
    if (!item || item.kind !== 'reasoning' || item.index === null) return [];
    item.summaryParts++;
    return item.summaryParts > 1 ? [{ type: 'reasoning_delta', index: item.index, text: '\n\n' }] : [];
  }

  private reasoningDelta(position: number, text: string | undefined): IrStreamEvent[] {
    const item = this.items.get(position);
    if (!item || item.kind !== 'reasoning' || item.index === null || !text) return [];
    return [{ type: 'reasoning_delta', index: item.index, text }];
  }

  private itemDone(position: number, done: JsonObject | undefined): IrStreamEvent[] {
    const item = this.items.get(position);
    if (!item) return [];
    this.items.delete(position);
    const out: IrStreamEvent[] = [];
    switch (item.kind) {
      case 'message':
        return this.closeText(item);
      case 'reasoning': {
        if (item.index === null) return [];
        const encrypted = done ? str(done.encrypted_content) : undefined;
        out.push(
          encrypted
            ? { type: 'block_end', index: item.index, opaque: encrypted }
            : { type: 'block_end', index: item.index },
        );
        return out;
      }
      case 'tool':
      case 'custom': {
        if (item.index === null) return [];
        if (!item.argsSeen) {
          // Some servers send the arguments only on the done item.
          const whole = done ? (item.kind === 'custom' ? str(done.input) : str(done.arguments)) : undefined;
          if (item.kind === 'custom') {
            if (whole)
              out.push({
                type: 'tool_args_delta',
                index: item.index,
                json: JSON.stringify(whole).slice(1, -1),
              });
          } else
            out.push({
              type: 'tool_args_delta',
              index: item.index,
              json: whole && whole.trim() !== '' ? whole : '{}',
            });
        }
        if (item.kind === 'custom') out.push({ type: 'tool_args_delta', index: item.index, json: '"}' });
        out.push({ type: 'block_end', index: item.index });
        return out;
      }
      case 'other':
        return [];
    }
  }

  private closeText(item: ItemState): IrStreamEvent[] {
    if (item.index === null) return [];
    const index = item.index;
    item.index = null;
    return [{ type: 'block_end', index }];
  }

  private finish(response: JsonObject | undefined): IrStreamEvent[] {
    const out = this.ensureStarted();
    for (const position of [...this.items.keys()]) out.push(...this.itemDone(position, undefined));
    this.closed = true;
    const usage = response ? normalizeResponsesUsage(response.usage) : null;
    if (usage) out.push({ type: 'usage', usage });
    const reason = responsesStopReason(
      response && str(response.status),
      response && obj(response.incomplete_details),
      this.sawToolCall,
    );
    out.push({ type: 'finish', reason });
    return out;
  }

  private fail(message: string): IrStreamEvent[] {
    this.closed = true;
    return [{ type: 'error', error: upstreamProtocolError(message) }];
  }
}
