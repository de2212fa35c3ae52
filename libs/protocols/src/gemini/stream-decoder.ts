import { JsonObject, JsonValue } from '@switchyard/common';
import { upstreamProtocolError } from '../ir/ir-error';
import { IrStreamEvent, StreamDecoder } from '../ir/ir-stream';
import { mintId } from '../shared/ids';
import { arr, obj, parseJson, str } from '../shared/read';
import { SseEvent } from '../sse/sse-event';
import { decodeGeminiErrorObject } from './errors';
import { fromGeminiFinishReason } from './finish-reason';
import { geminiCallId } from './parts';
import { normalizeGeminiUsage } from './usage';

/** A call whose arguments Vertex streams as `partialArgs` fragments. */
interface PartialCall {
  id: string;
  name: string;
  args: JsonObject;
}

/**
 * Decodes a Gemini `streamGenerateContent?alt=sse` stream. Each chunk carries only new parts;
 * text continues one text block, thought parts one reasoning block, and each functionCall arrives
 * whole (one tool block with its complete arguments). `usageMetadata` is a snapshot: the last real
 * one wins. Gemini has no terminator, so `end()` (connection close) is the normal finish.
 */
export class GeminiStreamDecoder implements StreamDecoder {
  private started = false;
  private closed = false;
  private nextIndex = 0;
  private text: number | null = null;
  private thought: number | null = null;
  private finishReason: string | undefined;
  private blocked = false;
  private sawToolCall = false;
  private partial: PartialCall | null = null;

  push(event: SseEvent): IrStreamEvent[] {
    if (this.closed) return [];
    const parsed = parseJson(event.data);
    // js-genai also accepts an array-wrapped chunk; take its first element.
    const chunk = obj(parsed) ?? obj(arr(parsed)?.[0]);
    if (!chunk) return this.fail('upstream sent a stream chunk that is not JSON');
    if (obj(chunk.error)) {
      this.closed = true;
      return [
        {
          type: 'error',
          error: decodeGeminiErrorObject(chunk, 0) ?? upstreamProtocolError('upstream reported an error'),
        },
      ];
    }
    const out: IrStreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      out.push({
        type: 'start',
        id: str(chunk.responseId) || mintId('gen_'),
        model: str(chunk.modelVersion) ?? '',
      });
    }
    const candidate = obj(arr(chunk.candidates)?.[0]);
    if (candidate) {
      for (const raw of arr(obj(candidate.content)?.parts) ?? []) {
        const part = obj(raw);
        if (part) this.part(part, out);
      }
      const reason = str(candidate.finishReason);
      if (reason) this.finishReason = reason;
    } else if (str(obj(chunk.promptFeedback)?.blockReason)) {
      this.blocked = true;
    }
    const usage = normalizeGeminiUsage(chunk.usageMetadata);
    if (usage) out.push({ type: 'usage', usage });
    return out;
  }

  end(): IrStreamEvent[] {
    if (this.closed) return [];
    this.closed = true;
    if (!this.started)
      return [
        {
          type: 'error',
          error: upstreamProtocolError('upstream closed the stream without sending an event'),
        },
      ];
    if (this.finishReason === undefined && !this.blocked) {
      return [{ type: 'error', error: upstreamProtocolError('upstream stream ended before a finishReason') }];
    }
    const out: IrStreamEvent[] = [];
    this.closeText(out);
    this.closeThought(out);
    if (this.partial) this.emitCall(this.partial, out);
    this.partial = null;
    out.push({
      type: 'finish',
      reason: this.blocked ? 'content_filter' : fromGeminiFinishReason(this.finishReason, this.sawToolCall),
    });
    return out;
  }

  private part(part: JsonObject, out: IrStreamEvent[]): void {
    const call = obj(part.functionCall);
    if (call) {
      this.call(call, part, out);
      return;
    }
    const text = str(part.text);
    if (!text) return; // an empty text part only carries a thoughtSignature, which needs no echo
    if (part.thought === true) {
      this.closeText(out);
      if (this.thought === null) {
        this.thought = this.nextIndex++;
        out.push({ type: 'reasoning_start', index: this.thought, provider: 'gemini' });
      }
      out.push({ type: 'reasoning_delta', index: this.thought, text });
      return;
    }
    this.closeThought(out);
    if (this.text === null) {
      this.text = this.nextIndex++;
      out.push({ type: 'text_start', index: this.text });
    }
    out.push({ type: 'text_delta', index: this.text, text });
  }

  private call(call: JsonObject, part: JsonObject, out: IrStreamEvent[]): void {
    this.closeText(out);
    this.closeThought(out);
    const name = str(call.name);
    const fragments = arr(call.partialArgs);
    if (name && call.args === undefined && (call.willContinue === true || fragments)) {
      // Vertex argument streaming: buffer until the empty closing functionCall (decision).
      if (this.partial) this.emitCall(this.partial, out);
      this.partial = { id: geminiCallId(call, part), name, args: {} };
      if (fragments) this.applyPartial(fragments);
      return;
    }
    if (!name && this.partial) {
      if (fragments) this.applyPartial(fragments);
      else if (call.willContinue !== true) {
        this.emitCall(this.partial, out);
        this.partial = null;
      }
      return;
    }
    if (!name) return;
    this.emitCall({ id: geminiCallId(call, part), name, args: obj(call.args) ?? {} }, out);
  }

  private applyPartial(fragments: readonly unknown[]): void {
    if (!this.partial) return;
    for (const raw of fragments) {
      const fragment = obj(raw);
      const path = fragment && str(fragment.jsonPath);
      if (!fragment || !path?.startsWith('$.')) continue;
      const keys = path.slice(2).split('.');
      let holder = this.partial.args;
      for (const key of keys.slice(0, -1)) {
        const next = obj(holder[key]) ?? {};
        holder[key] = next;
        holder = next;
      }
      const last = keys[keys.length - 1];
      const value: JsonValue | undefined =
        fragment.stringValue !== undefined
          ? (str(holder[last]) ?? '') + (str(fragment.stringValue) ?? '')
          : (fragment.numberValue ?? fragment.boolValue ?? fragment.nullValue ?? undefined);
      if (value !== undefined) holder[last] = value;
    }
  }

  private emitCall(call: PartialCall, out: IrStreamEvent[]): void {
    const index = this.nextIndex++;
    this.sawToolCall = true;
    out.push({ type: 'tool_start', index, id: call.id, name: call.name });
    out.push({ type: 'tool_args_delta', index, json: JSON.stringify(call.args) });
    out.push({ type: 'block_end', index });
  }

  private closeText(out: IrStreamEvent[]): void {
    if (this.text === null) return;
    out.push({ type: 'block_end', index: this.text });
    this.text = null;
  }

  private closeThought(out: IrStreamEvent[]): void {
    if (this.thought === null) return;
    out.push({ type: 'block_end', index: this.thought });
    this.thought = null;
  }

  private fail(message: string): IrStreamEvent[] {
    this.closed = true;
    return [{ type: 'error', error: upstreamProtocolError(message) }];
  }
}
