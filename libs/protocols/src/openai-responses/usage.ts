import { obj } from '../shared/read';
import { count, NormalizedUsage } from '../shared/usage';

/**
 * Normalises a Responses `usage` object: `input_tokens` includes cached reads (and the newer
 * `cache_write_tokens`), `output_tokens` includes reasoning. Clamped so input is never negative.
 */
export function normalizeResponsesUsage(usage: unknown): NormalizedUsage | null {
  const raw = obj(usage);
  if (!raw) return null;
  const total = count(raw.input_tokens);
  const inputDetails = obj(raw.input_tokens_details);
  const outputDetails = obj(raw.output_tokens_details);
  const cachedInput = Math.min(inputDetails ? count(inputDetails.cached_tokens) : 0, total);
  const cacheWrite = Math.min(inputDetails ? count(inputDetails.cache_write_tokens) : 0, total - cachedInput);
  const output = count(raw.output_tokens);
  return {
    input: total - cachedInput - cacheWrite,
    cachedInput,
    cacheWrite,
    output,
    reasoning: Math.min(output, outputDetails ? count(outputDetails.reasoning_tokens) : 0),
  };
}

/** IR usage as a Responses `usage` object text. */
export function encodeResponsesUsage(usage: NormalizedUsage): string {
  const input = usage.input + usage.cachedInput + usage.cacheWrite;
  return (
    `{"input_tokens":${input},"input_tokens_details":{"cached_tokens":${usage.cachedInput}},` +
    `"output_tokens":${usage.output},"output_tokens_details":{"reasoning_tokens":${usage.reasoning}},` +
    `"total_tokens":${input + usage.output}}`
  );
}
