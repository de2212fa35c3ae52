import { isJsonObject } from '@switchyard/common';
import { IrError } from '../ir/ir-error';
import { decodeOpenAiErrorObject } from './errors';
import { NormalizedUsage } from '../shared/usage';
import { obj } from '../shared/read';
import { parseSseEvent } from '../sse/sse-event';
import { normalizeOpenAiChatUsage, OpenAiUsageQuirks } from './usage';

const DATA_DONE = /^data: ?\[DONE\]/m;
const HAS_USAGE = /"usage"\s*:\s*\{/;
const HAS_ERROR = /^data: ?\{\s*"error"\s*:/m;

/** What the tap decided for one upstream event. */
export const enum TapVerdict {
  Forward = 0,
  /** The `choices: []` usage chunk injected for billing, which this client did not ask for. */
  Drop = 1,
}

/**
 * Watches an OpenAI Chat Completions SSE stream that is passed through byte for byte: it reads
 * usage from whichever chunk carries it (the `choices: []` chunk, or DeepSeek's finish chunk),
 * notices `[DONE]` and in-band errors, and tells the caller to drop the usage-only chunk when
 * the gateway injected `stream_options.include_usage` on the client's behalf. Only events that
 * mention `"usage"` are JSON-parsed.
 */
export class OpenAiChatStreamTap {
  usage: NormalizedUsage | null = null;
  done = false;
  errored = false;
  error: IrError | null = null;
  /** Bytes of events forwarded, for estimating output when the upstream reports no usage. */
  forwardedBytes = 0;

  constructor(
    private readonly clientWantsUsage: boolean,
    private readonly quirks: OpenAiUsageQuirks = {},
  ) {}

  inspect(event: Buffer): TapVerdict {
    const text = event.toString('latin1'); // ASCII markers only; never used for content
    if (DATA_DONE.test(text)) {
      this.done = true;
      return TapVerdict.Forward;
    }
    if (HAS_ERROR.test(text)) {
      this.errored = true;
      const chunk = parseDataJson(event);
      if (!this.error && isJsonObject(chunk)) this.error = decodeOpenAiErrorObject(chunk, 0);
    }
    if (!HAS_USAGE.test(text)) {
      this.forwardedBytes += event.length;
      return TapVerdict.Forward;
    }
    const chunk = parseDataJson(event);
    if (chunk && isJsonObject(chunk)) {
      // Groq also reports stream usage under x_groq.usage.
      const usage =
        normalizeOpenAiChatUsage(chunk.usage, this.quirks) ??
        normalizeOpenAiChatUsage(obj(chunk.x_groq)?.usage, this.quirks);
      if (usage) this.usage = usage;
      const usageOnly = Array.isArray(chunk.choices) && chunk.choices.length === 0;
      if (usageOnly && !this.clientWantsUsage) return TapVerdict.Drop;
    }
    this.forwardedBytes += event.length;
    return TapVerdict.Forward;
  }
}

function parseDataJson(event: Buffer): unknown {
  const parsed = parseSseEvent(event);
  if (!parsed) return null;
  try {
    return JSON.parse(parsed.data);
  } catch {
    return null; // a malformed chunk is forwarded as is; the client's own parser reports it
  }
}
