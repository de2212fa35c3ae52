import { isJsonObject } from '@switchyard/common';
import { count, NormalizedUsage } from '../shared/usage';
import { topLevelField } from '../shared/usage-from-body';

/** How an OpenAI-compatible server counts usage, where it departs from OpenAI. */
export interface OpenAiUsageQuirks {
  /** xAI: `completion_tokens` excludes `reasoning_tokens`, which are billed as output on top. */
  completionExcludesReasoning?: boolean;
  /**
   * xAI: when `cached_tokens` exceeds `prompt_tokens`, the prompt count excluded the cache
   * (vercel's convert-xai-chat-usage does the same); other servers get the cache clamped instead.
   */
  cachedMayExceedPrompt?: boolean;
}

/**
 * Normalises an OpenAI Chat `usage` object (also DeepSeek's and xAI's variants). Returns null
 * when `usage` is absent or null.
 */
export function normalizeOpenAiChatUsage(
  usage: unknown,
  quirks: OpenAiUsageQuirks = {},
): NormalizedUsage | null {
  if (!isJsonObject(usage)) return null;
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  const promptDetails = isJsonObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completionDetails = isJsonObject(usage.completion_tokens_details)
    ? usage.completion_tokens_details
    : {};
  // DeepSeek reports cache hits in its own field; `cached_tokens` mirrors it when present.
  const cachedReported = Math.max(count(promptDetails.cached_tokens), count(usage.prompt_cache_hit_tokens));
  const cacheWriteReported = count(promptDetails.cache_write_tokens);
  if (quirks.cachedMayExceedPrompt && cachedReported > prompt) {
    const reasoningOnTop = count(completionDetails.reasoning_tokens);
    return {
      input: prompt,
      cachedInput: cachedReported,
      cacheWrite: 0,
      output: quirks.completionExcludesReasoning ? completion + reasoningOnTop : completion,
      reasoning: reasoningOnTop,
    };
  }
  // Never let a misreporting server drive uncached input negative.
  const cachedInput = Math.min(cachedReported, prompt);
  const cacheWrite = Math.min(cacheWriteReported, prompt - cachedInput);
  const reasoning = count(completionDetails.reasoning_tokens);
  return {
    input: prompt - cachedInput - cacheWrite,
    cachedInput,
    cacheWrite,
    output: quirks.completionExcludesReasoning ? completion + reasoning : completion,
    reasoning,
  };
}

/** IR usage as an OpenAI Chat `usage` object (prompt includes cached reads and writes). */
export function encodeOpenAiChatUsage(usage: NormalizedUsage): string {
  const prompt = usage.input + usage.cachedInput + usage.cacheWrite;
  return (
    `{"prompt_tokens":${prompt},"completion_tokens":${usage.output},"total_tokens":${prompt + usage.output},` +
    `"prompt_tokens_details":{"cached_tokens":${usage.cachedInput}},` +
    `"completion_tokens_details":{"reasoning_tokens":${usage.reasoning}}}`
  );
}

/** Usage of a non-streaming Chat body passed through (leading keep-alive blank lines allowed). */
export function openAiChatUsageFromBody(
  bodyText: string,
  quirks: OpenAiUsageQuirks = {},
): NormalizedUsage | null {
  return normalizeOpenAiChatUsage(topLevelField(bodyText, 'usage'), quirks);
}
