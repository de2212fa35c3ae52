import { NormalizedUsage } from '../shared/usage';
import { SseEvent } from '../sse/sse-event';
import { ReasoningProvider } from './ir-request';
import { IrError } from './ir-error';
import { IrStopReason } from './ir-response';

/**
 * Events every stream decoder produces and every stream encoder consumes.
 *
 * Contract (decoders guarantee, encoders may rely on):
 * - `start` comes first, exactly once (decoders synthesise it if the upstream has none).
 * - Each content block is opened by one `*_start` with a unique `index`, gets deltas for that
 *   index, and is closed by one `block_end`. Indexes are labels, not positions: encoders assign
 *   their own contiguous wire indexes. Blocks may interleave (parallel tool calls from some
 *   OpenAI-compatible servers); encoders whose wire forbids it serialise them (SequentialBlocks).
 * - Tool arguments are JSON text fragments, concatenated per call; every call gets at least one
 *   fragment (`{}` for a call without arguments) before its `block_end`.
 * - `usage` is a cumulative snapshot: the last one wins, never add.
 * - The stream ends with `finish` (after all `block_end`s) or with `error`; nothing follows either.
 */
export type IrStreamEvent =
  | { type: 'start'; id: string; model: string; created?: number; usage?: NormalizedUsage }
  | { type: 'text_start'; index: number }
  | { type: 'text_delta'; index: number; text: string; refusal?: boolean }
  | {
      type: 'reasoning_start';
      index: number;
      provider: ReasoningProvider;
      redacted?: boolean;
      /** Opaque data known at start (Anthropic redacted `data`, Responses `encrypted_content`). */
      opaque?: string;
      id?: string;
      summary?: boolean;
    }
  | { type: 'reasoning_delta'; index: number; text: string }
  | { type: 'reasoning_signature'; index: number; signature: string }
  | {
      type: 'tool_start';
      index: number;
      id: string;
      name: string;
      namespace?: string;
      /** Gemini thoughtSignature carried by the call. */
      signature?: string;
    }
  | { type: 'tool_args_delta'; index: number; json: string }
  | {
      type: 'block_end';
      index: number;
      /** Opaque data only known at the end (Responses `encrypted_content` on output_item.done). */
      opaque?: string;
    }
  | { type: 'usage'; usage: NormalizedUsage }
  | { type: 'finish'; reason: IrStopReason; stopSequence?: string }
  | { type: 'error'; error: IrError };

export type IrBlockStart = Extract<IrStreamEvent, { type: 'text_start' | 'reasoning_start' | 'tool_start' }>;

/** Decodes one upstream's SSE events into IR events. `push` never throws. */
export interface StreamDecoder {
  push(event: SseEvent): IrStreamEvent[];
  /** The upstream closed the connection: flush, and report a stream that ended too early. */
  end(): IrStreamEvent[];
}

/** Encodes IR events into SSE text for one client protocol. */
export interface StreamEncoder {
  push(event: IrStreamEvent): string;
  /** Closes the stream; emits an error event if the IR stream never finished. */
  end(): string;
  /** Something to write during long upstream silences (Anthropic `ping`, an SSE comment elsewhere). */
  keepAlive(): string;
}
