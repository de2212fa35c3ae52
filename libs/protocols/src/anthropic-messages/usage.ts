import { JsonObject } from '@switchyard/common';
import { count, NormalizedUsage } from '../shared/usage';
import { obj } from '../shared/read';

/**
 * Normalises an Anthropic `usage` object. Anthropic's `input_tokens` already excludes cache reads
 * and writes, which is the normalised form; the 5m/1h split of cache writes sums to the total
 * when the total itself is absent.
 */
export function normalizeAnthropicUsage(usage: unknown): NormalizedUsage | null {
  const raw = obj(usage);
  if (!raw) return null;
  const creation = obj(raw.cache_creation);
  const split = creation
    ? count(creation.ephemeral_5m_input_tokens) + count(creation.ephemeral_1h_input_tokens)
    : 0;
  const output = count(raw.output_tokens);
  const details = obj(raw.output_tokens_details);
  return {
    input: count(raw.input_tokens),
    cachedInput: count(raw.cache_read_input_tokens),
    cacheWrite:
      raw.cache_creation_input_tokens === undefined || raw.cache_creation_input_tokens === null
        ? split
        : count(raw.cache_creation_input_tokens),
    output,
    reasoning: Math.min(output, details ? count(details.thinking_tokens) : 0),
  };
}

/**
 * Usage of an Anthropic stream: `message_start.message.usage`, then every non-null field of each
 * `message_delta.usage` overwrites it (the values are cumulative and may change: input 43 → 61).
 */
export class AnthropicUsageAccumulator {
  private raw: JsonObject = {};
  private seen = false;

  start(usage: unknown): NormalizedUsage | null {
    const raw = obj(usage);
    if (!raw) return null;
    this.raw = { ...raw };
    this.seen = true;
    return normalizeAnthropicUsage(this.raw);
  }

  delta(usage: unknown): NormalizedUsage | null {
    const raw = obj(usage);
    if (!raw) return null;
    for (const key of Object.keys(raw)) {
      const value = raw[key];
      if (value !== null && value !== undefined) this.raw[key] = value;
    }
    this.seen = true;
    return normalizeAnthropicUsage(this.raw);
  }

  get usage(): NormalizedUsage | null {
    return this.seen ? normalizeAnthropicUsage(this.raw) : null;
  }
}

/** IR usage as an Anthropic `usage` object text (input excludes the cache, as Anthropic counts it). */
export function encodeAnthropicUsage(usage: NormalizedUsage): string {
  return (
    `{"input_tokens":${usage.input},"cache_creation_input_tokens":${usage.cacheWrite},` +
    `"cache_read_input_tokens":${usage.cachedInput},"output_tokens":${usage.output}}`
  );
}
