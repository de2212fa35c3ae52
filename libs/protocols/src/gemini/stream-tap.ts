import { IrError } from '../ir/ir-error';
import { TapVerdict } from '../openai-chat/stream-tap';
import { arr, obj, parseJson } from '../shared/read';
import { topLevelField } from '../shared/usage-from-body';
import { NormalizedUsage } from '../shared/usage';
import { parseSseEvent } from '../sse/sse-event';
import { decodeGeminiErrorObject } from './errors';
import { normalizeGeminiUsage } from './usage';

const HAS_COUNTS = Buffer.from('"promptTokenCount"');
const HAS_FINISH = Buffer.from('"finishReason"');
const HAS_ERROR = /^data: ?\[?\s*\{\s*"error"\s*:/m;

/**
 * Watches a Gemini `alt=sse` stream. Every chunk carries a usage snapshot and only the last one
 * counts, so the tap keeps the last chunk that has token counts and parses it only when usage is
 * read: one JSON.parse per stream instead of one per chunk, and constant memory.
 */
export class GeminiStreamTap {
  done = false;
  errored = false;
  error: IrError | null = null;
  forwardedBytes = 0;
  private lastUsageEvent: Buffer | null = null;
  private parsed: NormalizedUsage | null = null;

  inspect(event: Buffer): TapVerdict {
    this.forwardedBytes += event.length;
    if (event.includes(HAS_COUNTS)) {
      // Copied: the splitter's slices share a buffer that later reads may overwrite.
      this.lastUsageEvent = Buffer.from(event);
      this.parsed = null;
    }
    if (event.includes(HAS_FINISH)) this.done = true;
    if (HAS_ERROR.test(event.toString('latin1', 0, Math.min(event.length, 64)))) {
      this.errored = true;
      const data = parseSseEvent(event);
      const value = data ? parseJson(data.data) : undefined;
      const root = obj(value) ?? obj(arr(value)?.[0]);
      this.error = root ? decodeGeminiErrorObject(root, 0) : null;
    }
    return TapVerdict.Forward;
  }

  get usage(): NormalizedUsage | null {
    if (this.parsed || !this.lastUsageEvent) return this.parsed;
    const data = parseSseEvent(this.lastUsageEvent);
    const chunk = data ? obj(parseJson(data.data)) : undefined;
    this.parsed = chunk ? normalizeGeminiUsage(chunk.usageMetadata) : null;
    return this.parsed;
  }
}

/** Usage of a non-streaming Gemini body; null when it has none. */
export function geminiUsageFromBody(bodyText: string): NormalizedUsage | null {
  return normalizeGeminiUsage(topLevelField(bodyText, 'usageMetadata'));
}
