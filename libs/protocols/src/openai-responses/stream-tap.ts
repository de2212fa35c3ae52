import { IrError } from '../ir/ir-error';
import { IrStopReason } from '../ir/ir-response';
import { decodeOpenAiErrorObject } from '../openai-chat/errors';
import { TapVerdict } from '../openai-chat/stream-tap';
import { arr, obj, parseJsonObject, str } from '../shared/read';
import { topLevelField } from '../shared/usage-from-body';
import { NormalizedUsage } from '../shared/usage';
import { parseSseEvent } from '../sse/sse-event';
import { responsesStopReason } from './response-decoder';
import { normalizeResponsesUsage } from './usage';

const EVENT_LINE = /^event: ?([a-z_.]+)/;
/** sequence_number sits near the start of every event (after "type"). */
const SEQUENCE = /"sequence_number"\s*:\s*(\d+)/;
const TYPE_FIELD = /"type"\s*:\s*"(response\.completed|response\.incomplete|response\.failed|error)"/;

/**
 * Watches an OpenAI Responses stream passed through byte for byte: usage and stop reason from
 * the terminal event (`response.completed` / `.incomplete`), failures from `error` and
 * `response.failed`. Only those events are JSON-parsed.
 */
export class ResponsesStreamTap {
  usage: NormalizedUsage | null = null;
  stopReason: IrStopReason | null = null;
  done = false;
  errored = false;
  error: IrError | null = null;
  forwardedBytes = 0;
  /** For ending a pass-through stream that fails midway with a well-formed error + response.failed. */
  nextSequence = 0;
  responseId = '';

  inspect(event: Buffer): TapVerdict {
    this.forwardedBytes += event.length;
    const head = event.toString('latin1', 0, Math.min(event.length, 48));
    const name = EVENT_LINE.exec(head)?.[1] ?? TYPE_FIELD.exec(event.toString('latin1'))?.[1];
    const sequence = SEQUENCE.exec(event.toString('latin1', 0, Math.min(event.length, 160)));
    if (sequence) this.nextSequence = Number(sequence[1]) + 1;
    switch (name) {
      case 'response.created':
        this.responseId = str(obj(this.data(event)?.response)?.id) ?? '';
        break;
      case 'response.completed':
      case 'response.incomplete': {
        const response = obj(this.data(event)?.response);
        this.done = true;
        if (!response) break;
        this.usage = normalizeResponsesUsage(response.usage) ?? this.usage;
        const hasCalls = (arr(response.output) ?? []).some(
          (item) => obj(item)?.type === 'function_call' || obj(item)?.type === 'custom_tool_call',
        );
        this.stopReason = responsesStopReason(
          str(response.status),
          obj(response.incomplete_details),
          hasCalls,
        );
        break;
      }
      case 'response.failed':
      case 'error': {
        this.errored = true;
        this.done = name === 'response.failed';
        const data = this.data(event);
        const nested = name === 'error' ? (obj(data?.error) ?? data) : obj(obj(data?.response)?.error);
        if (nested && !this.error) this.error = decodeOpenAiErrorObject({ error: nested }, 0);
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

/** Usage of a non-streaming Responses body passed through; null when it has none. */
export function responsesUsageFromBody(bodyText: string): NormalizedUsage | null {
  return normalizeResponsesUsage(topLevelField(bodyText, 'usage'));
}
