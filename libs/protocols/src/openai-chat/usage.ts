import { isJsonObject } from '@switchyard/common';
import { count, NormalizedUsage } from '../shared/usage';

/** How an OpenAI-compatible server counts usage, where it departs from OpenAI. */
export interface OpenAiUsageQuirks {
  /** xAI: `completion_tokens` excludes `reasoning_tokens`, which are billed as output on top. */
  completionExcludesReasoning?: boolean;
}

/**
 * Normalises an OpenAI Chat `usage` object (also DeepSeek's and xAI's variants). Returns null
 * when `usage` is absent or null.
 */
export function normalizeOpenAiChatUsage(usage: unknown, quirks: OpenAiUsageQuirks = {}): NormalizedUsage | null {
  if (!isJsonObject(usage)) return null;
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  const promptDetails = isJsonObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completionDetails = isJsonObject(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  // DeepSeek reports cache hits in its own field; `cached_tokens` mirrors it when present.
  const cachedReported = Math.max(count(promptDetails.cached_tokens), count(usage.prompt_cache_hit_tokens));
  const cacheWriteReported = count(promptDetails.cache_write_tokens);
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
