import { JsonObject } from '@switchyard/common';
import { upstreamProtocolError } from '../ir/ir-error';
import { IrStreamEvent, StreamDecoder } from '../ir/ir-stream';
import { COMPAT_PROFILES, CompatFinish, CompatProfile } from '../openai-compatible/compat-profiles';
import { mintId } from '../shared/ids';
import { arr, int, obj, parseJsonObject, str } from '../shared/read';
import { SseEvent } from '../sse/sse-event';
import { decodeOpenAiErrorObject } from './errors';
import { fromOpenAiFinishReason } from './finish-reason';
import { normalizeOpenAiChatUsage } from './usage';

interface ToolState {
  index: number;
  id: string;
  name: string | undefined;
  started: boolean;
  /** Argument text that arrived before the name (some servers), emitted once the call starts. */
  pending: string;
  argsSeen: boolean;
  /** Chat `custom` tool call: raw input fragments are escaped into `{"input":"…"}`. */
  custom: boolean;
}

/**
 * Decodes a Chat Completions stream (OpenAI or compatible) into IR events. Tool calls are keyed
 * by `index`, then `id` (indexes may start at 1 or skip); text and reasoning blocks close when a
 * tool call starts; tool blocks stay open until the finish chunk so servers that interleave
 * parallel calls decode correctly. `finish` is held until `[DONE]` or the end of the stream
 * because usage arrives after the finish chunk.
 */
export class OpenAiChatStreamDecoder implements StreamDecoder {
  private started = false;
  private closed = false;
  private nextIndex = 0;
  private text: number | null = null;
  private reasoning: number | null = null;
  private readonly tools = new Map<string, ToolState>();
  private lastTool: ToolState | null = null;
  private finishReason: CompatFinish | null = null;
  private rawFinish = '';
  private delivered = false;
  private toolsSeen = false;

  constructor(private readonly profile: CompatProfile = COMPAT_PROFILES.openai) {}

  push(event: SseEvent): IrStreamEvent[] {
    if (this.closed) return [];
    if (event.data === '[DONE]') return this.finish();
    const chunk = parseJsonObject(event.data);
    if (!chunk) return this.fail('upstream sent a stream chunk that is not JSON');
    if (chunk.error !== undefined && chunk.error !== null) {
      this.closed = true;
      const error = decodeOpenAiErrorObject(chunk, 0) ?? upstreamProtocolError('upstream reported an error');
      return [{ type: 'error', error }];
    }
    const out: IrStreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      const created = int(chunk.created);
      out.push({
        type: 'start',
        id: str(chunk.id) || mintId('chatcmpl-'),
        model: str(chunk.model) ?? '',
        ...(created !== undefined ? { created } : {}),
      });
    }
    const choice = obj(arr(chunk.choices)?.[0]);
    if (choice) {
      const delta = obj(choice.delta);
      if (delta) this.delta(delta, out);
      const finish = str(choice.finish_reason);
      if (finish) {
        this.rawFinish = finish;
        this.finishReason = fromOpenAiFinishReason(finish, this.profile);
        this.closeAll(out);
      }
    }
    for (const path of this.profile.usagePaths) {
      let holder: unknown = chunk;
      for (const key of path) holder = obj(holder)?.[key];
      const usage = normalizeOpenAiChatUsage(holder, this.profile.usage);
      if (usage) {
        out.push({ type: 'usage', usage });
        break;
      }
    }
    return out;
  }

  end(): IrStreamEvent[] {
    if (this.closed) return [];
    if (this.finishReason !== null) return this.finish();
    return this.fail(
      this.started
        ? 'upstream stream ended before it finished'
        : 'upstream closed the stream without sending an event',
    );
  }

  private delta(delta: JsonObject, out: IrStreamEvent[]): void {
    for (const field of this.profile.reasoningFields) {
      const text = str(delta[field]);
      if (!text) continue;
      this.closeText(out);
      if (this.reasoning === null) {
        this.reasoning = this.nextIndex++;
        out.push({ type: 'reasoning_start', index: this.reasoning, provider: 'openai-compatible' });
      }
      out.push({ type: 'reasoning_delta', index: this.reasoning, text });
      break;
    }
    const content = str(delta.content);
    if (content) this.textDelta(content, false, out);
    const refusal = str(delta.refusal);
    if (refusal) this.textDelta(refusal, true, out);
    const calls = arr(delta.tool_calls);
    if (calls) for (const raw of calls) this.toolDelta(obj(raw), out);
  }

  private textDelta(text: string, refusal: boolean, out: IrStreamEvent[]): void {
    this.closeReasoning(out);
    if (this.text === null) {
      this.text = this.nextIndex++;
      out.push({ type: 'text_start', index: this.text });
    }
    this.delivered = true;
    out.push(
      refusal
        ? { type: 'text_delta', index: this.text, text, refusal }
        : { type: 'text_delta', index: this.text, text },
    );
  }

  private toolDelta(call: JsonObject | undefined, out: IrStreamEvent[]): void {
    if (!call) return;
    const position = int(call.index);
    const id = str(call.id) || undefined; // Qwen repeats id:"" on later deltas
    const custom = obj(call.custom);
    const fn = custom ?? obj(call.function);
    const name = (fn && str(fn.name)) || undefined;
    const fragment = fn ? (custom ? str(fn.input) : str(fn.arguments)) : undefined;
    // Keyed by index, else by id; a delta with neither continues the last call.
    const key = position !== undefined ? `#${position}` : id !== undefined ? `id:${id}` : null;
    let state = key === null ? this.lastTool : this.tools.get(key);
    if (!state && id !== undefined) state = this.tools.get(`id:${id}`) ?? undefined;
    if (!state) {
      state = {
        index: this.nextIndex++,
        id: id ?? mintId('call_'),
        name,
        started: false,
        pending: '',
        argsSeen: false,
        custom: custom !== undefined,
      };
      this.tools.set(key ?? `auto:${state.index}`, state);
      if (id !== undefined) this.tools.set(`id:${id}`, state);
    }
    this.lastTool = state;
    if (!state.name && name) state.name = name;
    if (!state.started && state.name) {
      this.closeText(out);
      this.closeReasoning(out);
      state.started = true;
      this.delivered = true;
      this.toolsSeen = true;
      out.push({ type: 'tool_start', index: state.index, id: state.id, name: state.name });
      if (state.custom) out.push({ type: 'tool_args_delta', index: state.index, json: '{"input":"' });
      if (state.pending) {
        out.push({ type: 'tool_args_delta', index: state.index, json: state.pending });
        state.pending = '';
      }
    }
    if (fragment) {
      const json = state.custom ? JSON.stringify(fragment).slice(1, -1) : fragment;
      state.argsSeen = true;
      if (state.started) out.push({ type: 'tool_args_delta', index: state.index, json });
      else state.pending += json;
    }
  }

  private closeText(out: IrStreamEvent[]): void {
    if (this.text === null) return;
    out.push({ type: 'block_end', index: this.text });
    this.text = null;
  }

  private closeReasoning(out: IrStreamEvent[]): void {
    if (this.reasoning === null) return;
    out.push({ type: 'block_end', index: this.reasoning });
    this.reasoning = null;
  }

  private closeAll(out: IrStreamEvent[]): void {
    this.closeReasoning(out);
    this.closeText(out);
    const seen = new Set<ToolState>();
    for (const state of this.tools.values()) {
      if (seen.has(state)) continue;
      seen.add(state);
      if (!state.started) continue; // a call that never got a name cannot be shown to anyone
      if (state.custom) out.push({ type: 'tool_args_delta', index: state.index, json: '"}' });
      else if (!state.argsSeen) out.push({ type: 'tool_args_delta', index: state.index, json: '{}' });
      out.push({ type: 'block_end', index: state.index });
    }
    this.tools.clear();
    this.lastTool = null;
  }

  private finish(): IrStreamEvent[] {
    this.closed = true;
    const out: IrStreamEvent[] = [];
    if (!this.started)
      return [{ type: 'error', error: upstreamProtocolError('upstream stream ended without content') }];
    this.closeAll(out);
    let reason = this.finishReason;
    if (reason === null) reason = this.toolsSeen ? 'tool_calls' : 'stop'; // [DONE] without a finish chunk
    if (reason === 'retryable') {
      if (!this.delivered) {
        return [
          ...out,
          {
            type: 'error',
            error: { status: 503, type: 'overloaded', message: `upstream stopped: ${this.rawFinish}` },
          },
        ];
      }
      reason = 'length';
    }
    out.push({ type: 'finish', reason });
    return out;
  }

  private fail(message: string): IrStreamEvent[] {
    this.closed = true;
    return [{ type: 'error', error: upstreamProtocolError(message) }];
  }
}
