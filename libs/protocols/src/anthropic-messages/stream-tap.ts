import { IrError } from '../ir/ir-error';
import { IrStopReason } from '../ir/ir-response';
import { fromAnthropicStopReason } from '../ir/stop-reasons';
import { TapVerdict } from '../openai-chat/stream-tap';
import { obj, parseJsonObject } from '../shared/read';
import { topLevelField } from '../shared/usage-from-body';
import { NormalizedUsage } from '../shared/usage';
import { parseSseEvent } from '../sse/sse-event';
import { decodeAnthropicErrorObject } from './errors';
import { AnthropicUsageAccumulator, normalizeAnthropicUsage } from './usage';

const EVENT_LINE = /^event: ?([a-z_]+)/;
/** Fallback for Anthropic-compatible servers that omit `event:` lines. */
const TYPE_FIELD = /"type"\s*:\s*"(message_start|message_delta|message_stop|error)"/;

/**
 * Watches an Anthropic Messages stream passed through byte for byte: usage from message_start
 * plus the cumulative message_delta, the stop reason, message_stop, and in-band errors. Only
 * those events are JSON-parsed; text deltas (almost all of the stream) are only looked at once.
 */
export class AnthropicStreamTap {
  usage: NormalizedUsage | null = null;
  stopReason: IrStopReason | null = null;
  done = false;
  errored = false;
  error: IrError | null = null;
  forwardedBytes = 0;
  private readonly accumulator = new AnthropicUsageAccumulator();

  inspect(event: Buffer): TapVerdict {
    this.forwardedBytes += event.length;
    const head = event.toString('latin1', 0, Math.min(event.length, 48)); // ASCII markers only
    const name = EVENT_LINE.exec(head)?.[1] ?? TYPE_FIELD.exec(event.toString('latin1'))?.[1];
    switch (name) {
      case 'message_start': {
        const data = this.data(event);
        this.usage = this.accumulator.start(obj(data?.message)?.usage) ?? this.usage;
        break;
      }
      case 'message_delta': {
        const data = this.data(event);
        this.usage = this.accumulator.delta(data?.usage) ?? this.usage;
        const stop = obj(data?.delta)?.stop_reason;
        if (typeof stop === 'string') this.stopReason = fromAnthropicStopReason(stop);
        break;
      }
      case 'message_stop':
        this.done = true;
        break;
      case 'error': {
        this.errored = true;
        const data = this.data(event);
        this.error = data ? decodeAnthropicErrorObject(data, 0) : null;
        break;
      }
      default:
        break;
    }
    return TapVerdict.Forward;
  }

  private data(event: Buffer): ReturnType<typeof parseJsonObject> {
    const parsed = parseSseEvent(event);
    return parsed ? parseJsonObject(parsed.data) : undefined;
  }
}

/** Usage of a non-streaming Anthropic body passed through; null when it has none. */
export function anthropicUsageFromBody(bodyText: string): NormalizedUsage | null {
  return normalizeAnthropicUsage(topLevelField(bodyText, 'usage'));
}
