import { TokenCounts } from '@switchyard/common';

/**
 * Usage of one call in the one form every protocol is metered in: `input` excludes cached reads
 * and cache writes, `output` includes reasoning, `reasoning` is the part of `output` spent thinking.
 */
export interface NormalizedUsage extends TokenCounts {
  reasoning: number;
}

export const EMPTY_USAGE: Readonly<NormalizedUsage> = Object.freeze({
  input: 0,
  cachedInput: 0,
  cacheWrite: 0,
  output: 0,
  reasoning: 0,
});

/** A non-negative safe integer read from an untrusted field, or 0. */
export function count(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;
}

/** Rough token estimate for when an upstream reports no usage: ~4 bytes of UTF-8 per token. */
export function estimateTokensFromBytes(bytes: number): number {
  return Math.ceil(bytes / 4);
}
