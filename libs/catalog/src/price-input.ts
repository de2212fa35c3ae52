import { DomainError, formatUsd, NanoUsd, parseUsd, TokenPrices } from '@switchyard/common';

/** Prices as the admin API and switchyard.yaml write them: USD per 1M tokens, decimal strings. */
export interface PriceStrings {
  input: string;
  cached_input?: string;
  cache_write?: string;
  output: string;
}

/**
 * Reads decimal USD strings exactly into nano-USD per 1M tokens. Cached input and cache writes
 * default to the input price (DESIGN.md) unless priced apart.
 */
export function readPrices(prices: PriceStrings, field: string): TokenPrices {
  const read = (name: keyof PriceStrings, text: string | undefined, fallback?: NanoUsd): NanoUsd => {
    if (text === undefined && fallback !== undefined) return fallback;
    const value = text === undefined ? null : parseUsd(text);
    if (value === null || value < 0n) {
      throw new DomainError(
        'validation',
        `${field}.${name} must be a non-negative decimal string with at most 9 decimals`,
        {
          [`${field}.${name}`]: 'must be a non-negative decimal string such as "2.50"',
        },
      );
    }
    return value;
  };
  const input = read('input', prices.input);
  return {
    input,
    cachedInput: read('cached_input', prices.cached_input, input),
    cacheWrite: read('cache_write', prices.cache_write, input),
    output: read('output', prices.output),
  };
}

export function writePrices(prices: TokenPrices): Required<PriceStrings> {
  return {
    input: formatUsd(prices.input),
    cached_input: formatUsd(prices.cachedInput),
    cache_write: formatUsd(prices.cacheWrite),
    output: formatUsd(prices.output),
  };
}
